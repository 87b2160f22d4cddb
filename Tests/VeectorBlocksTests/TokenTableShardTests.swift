import ContentID
import Foundation
import Testing
import VeectorBlocks
import VeectorEngine
import VeectorTestSupport

/// The token table cut into row shards: the layout the decomposer writes, the checks on manifests and
/// blocks, the budget it allows, and (on the real SmolLM2) logits identical to the whole table's.
@Suite(.serialized) struct TokenTableShardTests {
    let dir = TemporaryDirectory(prefix: "table-shards")

    func size(_ m: ModelManifest, _ role: BlockRole) -> Int { m.entry(role)!.variants[0].bytes }

    @Test func shardRowsTileTheVocabulary() {
        #expect(TokenTableLayout.shardRows(rows: 64, count: 3) == [0..<22, 22..<44, 44..<64])
        #expect(TokenTableLayout.shardRows(rows: 49152, count: 16).allSatisfy { $0.count == 3072 })
        #expect(TokenTableLayout.shardRows(rows: 5, count: 16) == [0..<1, 1..<2, 2..<3, 3..<4, 4..<5])
        #expect(TokenTableLayout.shardRows(rows: 7, count: 1) == [0..<7])
    }

    @Test func decomposerWritesShardsHoldingTheTableRows() throws {
        let model = SyntheticLlama()
        let (m, source) = try model.decompose(in: dir, variants: [.ultimate], tokenTable: .sharded(3))
        #expect(m.blocks.map(\.role) == ["embedding.0", "embedding.1", "embedding.2"] + (0..<6).map { "layer.\($0)" } + ["head"])
        #expect(m.entry(.embedding) == nil)
        #expect(m.blocks.prefix(3).map(\.rows) == [[0, 22], [22, 44], [44, 64]])
        #expect(m.entry(.head)?.needs == [])
        // The shards' bytes are the table's rows, in order: nothing requantised, nothing lost.
        let table = try #require(model.tensors().first { $0.name == "token_embd.weight" }).bytes
        let rowBytes = table.count / model.vocab
        let cache = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20)
        #expect(cache.tokenTableShards == [0..<22, 22..<44, 44..<64])
        for (n, rows) in cache.tokenTableShards.enumerated() {
            let t = try cache.block(.embeddingShard(n)).tensor("token_embd.weight")
            #expect(t.type == .q8_0 && t.dimensions == [model.hidden, rows.count])
            #expect(Array(t.bytes) == Array(table[(rows.lowerBound * rowBytes)..<(rows.upperBound * rowBytes)]))
        }
        // A tied head stores only its norm and borrows nothing: the engine reads the shards.
        #expect(try cache.block(.head).tensors.keys.sorted() == ["output_norm.weight"])
        // Decomposition is deterministic: the same file gives the same model identity.
        let (again, _) = try model.decompose(in: dir, variants: [.ultimate], tokenTable: .sharded(3))
        #expect(again.cid == m.cid)
        #expect(try ModelManifest.decode(m.encoded()).encoded() == m.encoded())
    }

    @Test func shardsLowerTheLeastBudgetToTheLargestBlock() throws {
        let model = SyntheticLlama(vocab: 512)
        let (single, _) = try model.decompose(in: dir, variants: [.ultimate], tokenTable: .single)
        let (sharded, _) = try model.decompose(in: dir, variants: [.ultimate], tokenTable: .sharded(8))
        let singlePlan = try BlockPlan(manifest: single, profile: .ultimate, memoryBudget: 1 << 30)
        let shardedPlan = try BlockPlan(manifest: sharded, profile: .ultimate, memoryBudget: 1 << 30)
        // One table block: the head needs it, so the least budget is table + head. Shards: the largest block.
        #expect(singlePlan.minimumBudget == size(single, .embedding) + size(single, .head))
        #expect(shardedPlan.minimumBudget == sharded.blocks.map { $0.variants[0].bytes }.max())
        #expect(shardedPlan.minimumBudget < singlePlan.minimumBudget / 2)
    }

    @Test func manifestsWithBrokenShardsAreRefused() throws {
        let (m, _) = try SyntheticLlama().decompose(in: dir, variants: [.ultimate], tokenTable: .sharded(3))
        var gap = m
        gap.blocks[1].rows = [23, 44]
        #expect(throws: ModelManifestError.self) { _ = try ModelManifest.decode(gap.encoded()) }
        do { _ = try ModelManifest.decode(gap.encoded()) } catch {
            #expect(error.description.contains("embedding.1") && error.description.contains("re-import"))
        }
        var missing = m
        missing.blocks.remove(at: 1)
        #expect(throws: ModelManifestError.self) { _ = try ModelManifest.decode(missing.encoded()) }
        var stray = m
        stray.blocks[4].rows = [0, 1]
        #expect(throws: ModelManifestError.self) { _ = try ModelManifest.decode(stray.encoded()) }
    }

    @Test func aShardWhoseRowsDisagreeWithTheManifestIsCorrupt() throws {
        let (m, source) = try SyntheticLlama().decompose(in: dir, variants: [.ultimate], tokenTable: .sharded(2))
        // Shard 1 rebuilt claiming other rows but holding the same count: a valid block, wrong for this model.
        var builder = BlockBuilder(arch: "llama", role: .embeddingShard(1), variant: .ultimate, input: [], output: [64])
        builder.rows = [1, 33]
        let original = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20).block(.embeddingShard(1))
        let t = try original.tensor("token_embd.weight")
        try builder.add(name: "token_embd.weight", type: t.type, dims: t.dimensions, bytes: t.bytes)
        let forged = builder.build()
        source.put(forged.cid, forged.bytes)
        var tampered = m
        tampered.blocks[1].variants = [VariantEntry(variant: .ultimate, cid: forged.cid, bytes: forged.bytes.count)]
        let cache = try BlockCache(source: source, manifest: tampered, memoryBudget: 1 << 20)
        do {
            _ = try cache.block(.embeddingShard(1))
            Issue.record("a shard with the wrong rows was served")
        } catch {
            guard case .corrupt(.embeddingShard(1), _, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.contains("[1, 33]") && error.description.contains("[32, 64]"))
        }
        // A shard block that states no rows, or rows that do not match its table, does not parse.
        var noRows = BlockBuilder(arch: "llama", role: .embeddingShard(0), variant: .ultimate, input: [], output: [64])
        try noRows.add(name: "token_embd.weight", type: t.type, dims: t.dimensions, bytes: t.bytes)
        let a = noRows.build()
        #expect(throws: BlockFormatError.self) { _ = try a.bytes.withUnsafeBytes { try ParsedBlock(bytes: $0) } }
        noRows.rows = [0, 5]
        let b = noRows.build()
        #expect(throws: BlockFormatError.self) { _ = try b.bytes.withUnsafeBytes { try ParsedBlock(bytes: $0) } }
    }

    /// SmolLM2 from 16 shards under a budget of a quarter of its blocks gives the logits of the mapped
    /// file: a 40-token prompt (OpenBLAS, to float rounding) then one token (the kernels, bit for bit).
    @Test func smolLM2ShardedLogitsEqualTheFileUnderAQuarterBudget() throws {
        guard RealModels.present(RealModels.smolLM2) else { return }
        let file = try GGUFFile(path: RealModels.smolLM2)
        let source = MemoryBlockSource()
        let manifest = try ModelDecomposer(variants: [.ultimate]).decompose(path: RealModels.smolLM2) { source.put($0, $1) }
        #expect(manifest.blocks.filter { $0.role.hasPrefix("embedding.") }.count == 16)
        let total = manifest.blocks.reduce(0) { $0 + $1.variants[0].bytes }
        let cache = try BlockCache(source: source, manifest: manifest, profile: .ultimate, memoryBudget: total / 4)
        let configuration = try LlamaConfiguration(gguf: file)
        let streamed = try LlamaModel(configuration: configuration, source: cache, threads: 1)
        let whole = try LlamaModel(gguf: file, threads: 1)
        let prompt = (0..<40).map { ($0 * 1237 + 11) % configuration.vocabularySize }
        var a = streamed.makeCache(contextWindow: 64), b = whole.makeCache(contextWindow: 64)
        // The prompt's products go through OpenBLAS sgemm, whose blocking depends on the row count, so a
        // shard's logits may differ from the whole table's in the last bits; one token (the kernels, one dot
        // product per row) is bit for bit the same.
        let batch = try streamed.forward(prompt, cache: &a, logits: .all), reference = try whole.forward(prompt, cache: &b, logits: .all)
        #expect(batch.count == reference.count)
        for (x, y) in zip(batch, reference) {
            let scale = y.map(abs).max()!
            #expect(zip(x, y).map { abs($0 - $1) }.max()! <= 1e-4 * scale)
            #expect(x.indices.max { x[$0] < x[$1] } == y.indices.max { y[$0] < y[$1] })
        }
        #expect(try streamed.forward([49151], cache: &a) == whole.forward([49151], cache: &b))
        let s = cache.statistics
        #expect(s.evictions > 0 && s.overBudgetLoads == 0)
        #expect(s.peakBytesResident <= total / 4)
    }
}
