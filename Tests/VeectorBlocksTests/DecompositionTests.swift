import ContentID
import Foundation
import Testing
import VeectorBlocks
import VeectorEngine
import VeectorTestSupport

/// Decomposing real model files into blocks and back: ultimate blocks hold the source bytes exactly,
/// requantised variants stay within a stated error, damaged files give a clear error.
@Suite struct DecompositionTests {
    let dir = TemporaryDirectory(prefix: "decompose")

    /// Serves every role of `manifest` at `profile` from `source`.
    func blocks(_ manifest: ModelManifest, _ source: MemoryBlockSource, _ profile: Profile) throws -> [BlockRole: WeightBlock] {
        let cache = try BlockCache(source: source, manifest: manifest, profile: profile, memoryBudget: 1 << 34)
        var out: [BlockRole: WeightBlock] = [:]
        for e in manifest.blocks {
            let role = try #require(BlockRoleName.role(e.role))
            out[role] = try cache.block(role)
        }
        return out
    }

    /// Relative RMS error of `b` against `a`.
    func relativeRMS(_ a: [Float], _ b: [Float]) -> Float {
        var err: Float = 0, ref: Float = 0
        for (x, y) in zip(a, b) { err += (x - y) * (x - y); ref += x * x }
        return (err / max(ref, .leastNonzeroMagnitude)).squareRoot()
    }

    func floats(_ t: Tensor) -> [Float] {
        switch t.type {
        case .f32: return Array(t.bytes.bindMemory(to: Float.self))
        case .q8_0: return BlockQ8_0.dequantizeRow(t.bytes)
        case .q4_0: return BlockQ4_0.dequantizeRow(t.bytes)
        case .q4_1: return BlockQ4_1.dequantizeRow(t.bytes)
        default: return []
        }
    }

    @Test func smolLM2RoundTrips() throws {
        guard RealModels.present(RealModels.smolLM2) else { return }
        let source = MemoryBlockSource()
        let manifest = try ModelDecomposer(tokenTable: .single).decompose(path: RealModels.smolLM2) { source.put($0, $1) }
        let gguf = try GGUFFile(path: RealModels.smolLM2)
        #expect(manifest.arch == "llama" && manifest.layerCount == 30 && manifest.blocks.count == 32)
        #expect(manifest.config["llama.embedding_length"] == .int(576))
        #expect(manifest.entry(.head)?.needs == ["embedding"])
        #expect(manifest.entry(.layer(0))?.variants.map(\.variant) == [.ultimate, .lite])
        // Ultimate: every tensor's bytes identical to the GGUF's, under its local name.
        let ultimate = try blocks(manifest, source, .ultimate)
        var seen = 0
        for info in gguf.tensors {
            let (role, local): (BlockRole, String)
            if info.name.hasPrefix("blk.") {
                let parts = info.name.split(separator: ".", maxSplits: 2)
                (role, local) = (.layer(Int(parts[1])!), String(parts[2]))
            } else if info.name.hasPrefix("token_embd") { (role, local) = (.embedding, info.name) } else { (role, local) = (.head, info.name) }
            let t = try #require(ultimate[role]?.tensors[local], "\(info.name)")
            #expect(t.type == info.type && t.dimensions == info.dimensions)
            #expect(t.bytes.elementsEqual(gguf.bytes(of: info)), "\(info.name)")
            seen += 1
        }
        #expect(seen == 272)
        #expect(try ultimate[.head]!.tensor("output.weight").bytes.elementsEqual(gguf.bytes(of: gguf.tensor(named: "token_embd.weight"))))
        // Lite: Q4_0 from Q4_1, within 15 % relative RMS of the source weights; norms unchanged.
        let lite = try blocks(manifest, source, .lite)
        for n in [0, 29] {
            let q = try lite[.layer(n)]!.tensor("attn_q.weight")
            #expect(q.type == .q4_0)
            let e = relativeRMS(gguf.floats(of: try gguf.tensor(named: "blk.\(n).attn_q.weight")), floats(q))
            #expect(e < 0.15, "layer \(n) lite error \(e)")
            #expect(try lite[.layer(n)]!.tensor("attn_norm.weight").bytes.elementsEqual(gguf.bytes(of: gguf.tensor(named: "blk.\(n).attn_norm.weight"))))
        }
        // The tokenizer blob is a GGUF the engine's tokenizer reads.
        let entry = try #require(manifest.tokenizer.first)
        #expect(entry.kind == "gguf-metadata")
        let path = dir.file("tokenizer.gguf")
        writeBytes(try #require(source.get(entry.cid)), to: path)
        let tokenizer = try BytePairTokenizer(gguf: GGUFFile(path: path))
        #expect(tokenizer.id(of: "<|im_start|>") == 1)
        // Read back, the manifest encodes to the same bytes (a whole float such as rope.freq_base reads as an integer).
        #expect(try ModelManifest.decode(manifest.encoded()).encoded() == manifest.encoded())
    }

    @Test func miniLMRoundTrips() throws {
        guard RealModels.present(RealModels.miniLM + "/model.safetensors") else { return }
        let source = MemoryBlockSource()
        let manifest = try ModelDecomposer().decompose(path: RealModels.miniLM) { source.put($0, $1) }
        let st = try SafetensorsFile(path: RealModels.miniLM + "/model.safetensors")
        #expect(manifest.arch == "bert" && manifest.layerCount == 6)
        #expect(manifest.config["hidden_size"] == .int(384) && manifest.config["layer_norm_eps"] == .float(1e-12))
        #expect(manifest.entry(.layer(0))?.variants.map(\.variant) == [.ultimate, .pro, .lite])
        #expect(manifest.tokenizer.map(\.kind) == ["wordpiece-vocab"])
        #expect(source.get(manifest.tokenizer[0].cid) == readBytes(RealModels.miniLM + "/vocab.txt"))
        let ultimate = try blocks(manifest, source, .ultimate)
        var seen = 0
        for info in st.tensors where info.dtype == .f32 {
            let (role, local): (BlockRole, String)
            if info.name.hasPrefix("encoder.layer.") {
                let parts = info.name.dropFirst(14).split(separator: ".", maxSplits: 1)
                (role, local) = (.layer(Int(parts[0])!), String(parts[1]))
            } else if info.name.hasPrefix("embeddings.") {
                (role, local) = (.embedding, String(info.name.dropFirst(11)))
            } else { (role, local) = (.head, String(info.name.dropFirst(7))) }
            let t = try #require(ultimate[role]?.tensors[local], "\(info.name)")
            #expect(t.type == .f32 && t.dimensions == Array(info.shape.reversed()))
            #expect(t.bytes.elementsEqual(st.bytes(of: info)), "\(info.name)")
            seen += 1
        }
        #expect(seen == 103)
        // pro (Q8_0) within 1 %, lite (Q4_1) within 12 % relative RMS; biases and norms stay F32.
        for (profile, type, bound) in [(Profile.pro, GGMLType.q8_0, Float(0.01)), (.lite, .q4_1, 0.12)] {
            let layers = try blocks(manifest, source, profile)
            for n in [0, 5] {
                for name in ["attention.self.query.weight", "intermediate.dense.weight", "output.dense.weight"] {
                    let t = try layers[.layer(n)]!.tensor(name)
                    #expect(t.type == type)
                    let e = relativeRMS(try st.floats(of: st.tensor(named: "encoder.layer.\(n).\(name)")), floats(t))
                    #expect(e < bound, "\(profile) layer \(n) \(name): \(e)")
                }
                #expect(try layers[.layer(n)]!.tensor("output.LayerNorm.bias").type == .f32)
            }
        }
    }

    @Test func syntheticModelSharesUnchangedBlocks() throws {
        let a = try SyntheticLlama().decompose(in: dir).0
        var altered = SyntheticLlama()
        altered.alteredLayers = [2]
        let b = try ModelDecomposer(tokenTable: .single).decompose(path: altered.write(in: dir, name: "b.gguf")) { _, _ in }
        let differing = zip(a.blocks, b.blocks).filter { $0 != $1 }.map(\.0.role)
        #expect(differing == ["layer.2"])
        #expect(a.cid != b.cid)
        // Decomposition is deterministic: the same file gives the same manifest CID.
        #expect(try SyntheticLlama().decompose(in: dir).0.cid == a.cid)
    }

    @Test func truncatedOrCorruptGGUFGivesAClearError() throws {
        let good = SyntheticLlama().bytes()
        let truncated = dir.file("truncated.gguf")
        writeBytes(Array(good.prefix(good.count - 100)), to: truncated)
        do {
            _ = try ModelDecomposer().decompose(path: truncated) { _, _ in }
            Issue.record("a truncated GGUF was decomposed")
        } catch {
            guard case let .unreadable(path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == truncated)
            #expect(error.description.contains(truncated) && error.description.contains("damaged"))
        }
        let garbage = dir.file("garbage.gguf")
        writeBytes(Array("this is not a model file at all".utf8), to: garbage)
        #expect(throws: DecomposeError.self) { _ = try ModelDecomposer().decompose(path: garbage) { _, _ in } }
        #expect(throws: DecomposeError.missingFile(path: dir.file("absent.gguf"))) {
            _ = try ModelDecomposer().decompose(path: dir.file("absent.gguf")) { _, _ in }
        }
        // A folder without model.safetensors is not a model.
        #expect(throws: DecomposeError.unrecognized(path: dir.path)) { _ = try ModelDecomposer().decompose(path: dir.path) { _, _ in } }
    }
}
