import ContentID
import Foundation
import Testing
import VeectorBlocks
import VeectorEngine
import VeectorTestSupport

/// The budgeted block cache over a real decomposition of a small llama model written as GGUF.
@Suite struct BlockCacheTests {
    let dir = TemporaryDirectory(prefix: "block-cache")

    func model() throws -> (ModelManifest, MemoryBlockSource) {
        try SyntheticLlama().decompose(in: dir, variants: [.ultimate])
    }

    func size(_ m: ModelManifest, _ role: BlockRole) -> Int { m.entry(role)!.variants[0].bytes }

    @Test func fullPassUnderThreeLayersEvictsTheBlockNeededFurthestAhead() throws {
        let (m, source) = try model()
        let layer = (0..<6).map { size(m, .layer($0)) }
        let embedding = size(m, .embedding), head = size(m, .head)
        let budget = 3 * layer.max()! + head
        // The arithmetic below relies on these sizes (a layer holds two matrices, the embedding one).
        try #require(embedding < layer.min()! && head < embedding && embedding + 3 * layer.min()! > budget)
        let cache = try BlockCache(source: source, manifest: m, profile: .ultimate, memoryBudget: budget)
        let pass = [BlockRole.embedding] + (0..<6).map(BlockRole.layer) + [.head]
        for role in pass {
            let w = try cache.block(role)
            #expect(w.role == role)
            #expect(cache.statistics.bytesResident <= budget)
        }
        let s = cache.statistics
        // Layers 2…5 each evict the layer just used (needed again only after a whole pass); the embedding
        // (needed first next pass) and layer 0 stay, so the head finds the embedding it borrows resident.
        #expect(s.loads == 8)
        #expect(s.evictions == 4)
        #expect(s.hits == 1 && s.overBudgetLoads == 0)
        #expect(cache.isResident(.embedding) && cache.isResident(.layer(0)) && cache.isResident(.layer(5)) && cache.isResident(.head))
        #expect((1...4).allSatisfy { !cache.isResident(.layer($0)) })
        // The next pass starts with hits (least-recently-used would have evicted both before their turn).
        _ = try cache.block(.embedding)
        _ = try cache.block(.layer(0))
        #expect(cache.statistics.hits == 3 && cache.statistics.loads == 8)
        #expect(cache.provenance.map(\.role) == ["embedding"] + (0..<6).map { "layer.\($0)" } + ["head"])
        #expect(cache.provenance.allSatisfy { $0.variant == .ultimate })
    }

    @Test func tiedHeadHandsTheEmbeddingTensorItself() throws {
        let (m, source) = try model()
        #expect(m.entry(.head)?.needs == ["embedding"])
        let cache = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20)
        let head = try cache.block(.head)
        let embedding = try cache.block(.embedding)
        let tied = try head.tensor("output.weight")
        let original = try embedding.tensor("token_embd.weight")
        #expect(tied.bytes.baseAddress == original.bytes.baseAddress && tied.type == .q8_0)
        #expect(head.tensors.keys.sorted() == ["output.weight", "output_norm.weight"])
        // The embedding block was stored once: the head's own block holds only its norm.
        #expect(size(m, .head) < 1024)
    }

    @Test func heldBlocksAreNeverEvicted() throws {
        let (m, source) = try model()
        let budget = 2 * (0..<6).map { size(m, .layer($0)) }.max()!
        let cache = try BlockCache(source: source, manifest: m, profile: .ultimate, memoryBudget: budget)
        let held = try cache.block(.layer(0))
        for n in 1..<6 { _ = try cache.block(.layer(n)) }
        #expect(cache.isResident(.layer(0)))
        let again = try cache.block(.layer(0))
        #expect(again === held)
        #expect(cache.statistics.loads == 6 && cache.statistics.evictions == 4)
    }

    @Test func budgetTooSmallStatesTheMinimum() throws {
        let (m, source) = try model()
        let largestLayer = (0..<6).map { size(m, .layer($0)) }.max()!
        let minimum = max(largestLayer, size(m, .head) + size(m, .embedding))
        #expect(throws: WeightSourceError.budgetTooSmall(budget: 1000, minimum: minimum)) {
            _ = try BlockCache(source: source, manifest: m, profile: .ultimate, memoryBudget: 1000)
        }
        let error = WeightSourceError.budgetTooSmall(budget: 1000, minimum: minimum)
        #expect(error.description.contains("\(minimum)"))
        #expect(throws: Never.self) { _ = try BlockCache(source: source, manifest: m, profile: .ultimate, memoryBudget: minimum) }
    }

    @Test func flippedByteIsCaughtAndTheBlockNeverUsed() throws {
        let (m, source) = try model()
        let entry = m.entry(.layer(2))!.variants[0]
        var bytes = try #require(source.get(entry.cid))
        bytes[bytes.count - 3] ^= 0x10
        source.put(entry.cid, bytes)
        let cache = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20)
        for _ in 0..<2 {
            do {
                _ = try cache.block(.layer(2))
                Issue.record("a corrupt block was served")
            } catch {
                guard case let .corrupt(block, cid, _) = error else { Issue.record("wrong error \(error)"); continue }
                #expect(block == .layer(2) && cid == entry.cid.description)
                #expect(error.description.contains("layer.2") && error.description.contains(entry.cid.description))
            }
        }
        #expect(cache.statistics.loads == 0)
        #expect(try cache.block(.layer(1)).role == .layer(1))
    }

    @Test func aBlockServedForTheWrongRoleIsCorrupt() throws {
        let (m, source) = try model()
        // Layer 1's bytes stored under layer 2's CID: the hash check catches it first.
        let l1 = m.entry(.layer(1))!.variants[0].cid, l2 = m.entry(.layer(2))!.variants[0].cid
        source.put(l2, source.get(l1)!)
        let cache = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20)
        #expect(throws: WeightSourceError.self) { _ = try cache.block(.layer(2)) }
    }

    @Test func missingBlockIsUnavailable() throws {
        let (m, _) = try model()
        let cache = try BlockCache(source: MemoryBlockSource(), manifest: m, memoryBudget: 1 << 20)
        do {
            _ = try cache.block(.layer(0))
            Issue.record("served from an empty store")
        } catch {
            guard case .unavailable(.layer(0), _) = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test func prefetchLoadsOnTheWorkerAndTheNextCallHits() throws {
        let (m, source) = try model()
        let cache = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20)
        cache.prefetch(.layer(3))
        cache.prefetch(.head)
        cache.waitForPrefetches()
        #expect(cache.isResident(.layer(3)) && cache.isResident(.head) && cache.isResident(.embedding))
        let s = cache.statistics
        #expect(s.loads == 3 && s.prefetchLoads == 3 && s.hits == 0)
        _ = try cache.block(.layer(3))
        #expect(cache.statistics.hits == 1 && cache.statistics.loads == 3)
        // A forward pass that hints the next layer while it holds the current one.
        for n in 0..<6 {
            let w = try cache.block(.layer(n))
            if n < 5 { cache.prefetch(.layer(n + 1)) }
            #expect(w.tensors.count == 3)
        }
        cache.waitForPrefetches()
        #expect(cache.statistics.loads == 8)
    }

    @Test func profilesChooseVariants() throws {
        let (m, source) = try SyntheticLlama().decompose(in: dir)
        let layer0 = m.entry(.layer(0))!
        // A 4-bit source: lite (Q4_0) and ultimate (Q4_1); no pro.
        #expect(layer0.variants.map(\.variant) == [.ultimate, .lite])
        #expect(m.entry(.embedding)!.variants.map(\.variant) == [.ultimate])
        let lite = try BlockCache(source: source, manifest: m, profile: .lite, memoryBudget: 1 << 20)
        #expect(try lite.block(.layer(0)).tensor("attn_q.weight").type == .q4_0)
        #expect(try lite.block(.layer(0)).tensor("attn_norm.weight").type == .f32)
        #expect(try lite.block(.embedding).tensor("token_embd.weight").type == .q8_0)
        // pro is not stored: the nearest better variant serves.
        let pro = try BlockCache(source: source, manifest: m, profile: .pro, memoryBudget: 1 << 20)
        #expect(try pro.block(.layer(0)).tensor("attn_q.weight").type == .q4_1)
        // auto: everything fits → ultimate; only the lite model fits whole → lite; streaming → best that streams.
        let ultimateTotal = try BlockPlan(manifest: m, profile: .ultimate, memoryBudget: 1 << 30).totalBytes
        let litePlan = try BlockPlan(manifest: m, profile: .lite, memoryBudget: 1 << 30)
        #expect(try BlockPlan(manifest: m, profile: .auto, memoryBudget: ultimateTotal).choice(.layer(0))?.variant == .ultimate)
        #expect(try BlockPlan(manifest: m, profile: .auto, memoryBudget: litePlan.totalBytes).choice(.layer(0))?.variant == .lite)
        let streaming = try BlockPlan(manifest: m, profile: .ultimate, memoryBudget: 1 << 30).minimumBudget
        #expect(try BlockPlan(manifest: m, profile: .auto, memoryBudget: streaming).choice(.layer(0))?.variant == .ultimate)
        #expect(throws: WeightSourceError.budgetTooSmall(budget: 10, minimum: litePlan.minimumBudget)) {
            _ = try BlockPlan(manifest: m, profile: .auto, memoryBudget: 10)
        }
    }

    @Test func borrowingChainsAndCyclesAreRefused() throws {
        var (m, source) = try model()
        let head = m.blocks.firstIndex { $0.role == "head" }!
        let embedding = m.blocks.firstIndex { $0.role == "embedding" }!
        m.blocks[embedding].needs = ["head"]
        #expect(throws: WeightSourceError.self) { _ = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20) }
        m.blocks[embedding].needs = []
        m.blocks[head].needs = ["layer.99"]
        #expect(throws: WeightSourceError.self) { _ = try BlockCache(source: source, manifest: m, memoryBudget: 1 << 20) }
    }
}
