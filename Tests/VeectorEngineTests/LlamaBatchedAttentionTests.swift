import Foundation
import Testing
import VeectorEngine

/// The prompt-batch path (row pieces of `sgemm` across threads, attention by blocks of 64 queries) against
/// the small-batch kernel path on the real SmolLM2 model: a batch that starts after cached positions and
/// ends in a partial query block must give the logits of the same tokens fed in passes of under 32.
@Suite(.serialized) struct LlamaBatchedAttentionTests {
    /// Logits of every position of `tokens`: the first `head` as one batch, the rest in batches of `step`.
    static func logits(_ model: LlamaModel, _ tokens: [Int], head: Int, step: Int) throws -> [[Float]] {
        var cache = model.makeCache(contextWindow: tokens.count)
        var rows = try model.forward(Array(tokens.prefix(head)), cache: &cache, logits: .all)
        var start = head
        while start < tokens.count {
            let end = min(tokens.count, start + step)
            rows += try model.forward(Array(tokens[start..<end]), cache: &cache, logits: .all)
            start = end
        }
        return rows
    }

    @Test(arguments: [1, 2])
    func blockedBatchMatchesSmallPasses(threads: Int) throws {
        guard FileManager.default.fileExists(atPath: LlamaRealModelTests.path) else {
            print("LlamaBatchedAttentionTests: \(LlamaRealModelTests.path) is absent; run scripts/fetch-models.sh. Skipping.")
            return
        }
        let file = try GGUFFile(path: LlamaRealModelTests.path)
        let model = try LlamaModel(gguf: file, threads: threads)
        let tokenizer = try BytePairTokenizer(gguf: file)
        var tokens = tokenizer.encode(String(repeating: LlamaRealModelTests.paragraph + " ", count: 3))
        tokens = Array(tokens.prefix(140))
        try #require(tokens.count == 140)
        // 40 tokens, then 100 at position 40: two query blocks (64 + 36) over 140 keys.
        let batched = try Self.logits(model, tokens, head: 40, step: 100)
        let small = try Self.logits(model, tokens, head: 31, step: 31)
        try #require(batched.count == 140 && small.count == 140)
        var maxDelta: Float = 0
        for (a, b) in zip(batched, small) {
            for (x, y) in zip(a, b) { maxDelta = max(maxDelta, abs(x - y)) }
        }
        print("LlamaBatchedAttentionTests t=\(threads): blocked batch vs small passes max |Δlogit| = \(maxDelta)")
        #expect(maxDelta < 0.01)
        #expect(maxDelta > 0)  // different arithmetic: the comparison really ran both paths
    }
}
