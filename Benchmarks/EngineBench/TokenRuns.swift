import VeectorEngine

/// llama-bench's two tests on one model: pp = one batch of random token ids from an empty KV cache, tg =
/// single-token decodes of random ids from an empty cache. Ids come from a fixed-seed generator.
struct TokenRuns {
    let model: LlamaModel
    let window: Int
    private var seed: UInt64 = 42

    init(model: LlamaModel, window: Int) {
        self.model = model
        self.window = window
    }

    mutating func randomTokens(_ n: Int) -> [Int] {
        var tokens: [Int] = []
        for _ in 0..<n {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            tokens.append(Int((seed >> 33) % UInt64(model.configuration.vocabularySize)))
        }
        return tokens
    }

    /// One batch of `n` tokens, logits of the last only.
    mutating func pp(_ n: Int) throws -> Timing {
        var kv = model.makeCache(contextWindow: window)
        let tokens = randomTokens(n)
        var timing = Timing(wall: 0, cpu: 0)
        timing = try Timing.of { _ = try model.forward(tokens, cache: &kv, logits: .last) }
        return timing
    }

    /// `n` single-token steps.
    mutating func tg(_ n: Int) throws -> Timing {
        var kv = model.makeCache(contextWindow: window)
        let tokens = randomTokens(n)
        return try Timing.of {
            for t in tokens { _ = try model.forward([t], cache: &kv, logits: .last) }
        }
    }
}
