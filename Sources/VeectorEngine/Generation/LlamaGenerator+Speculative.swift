extension LlamaGenerator {
    /// Greedy self-speculative decoding. Each round drafts up to `draftLength` tokens with the first
    /// `exitLayer` layers (plus final norm and head), then runs the pending token and the drafts through
    /// the remaining layers in ONE batched pass, starting from the shallow hidden states the drafts left
    /// behind. The full model's greedy pick at each position is compared with the draft: the agreed
    /// prefix is kept, the first disagreement is replaced by the full model's token (or, when all agree,
    /// one bonus token is gained), and the KV cache is rolled back past whatever was rejected.
    ///
    /// Every kept token is the full model's greedy choice, computed with the same per-column arithmetic
    /// as a one-token pass, so the output equals plain greedy decoding.
    func speculativeDecode(_ prompt: [Int], _ settings: SpeculativeOptions, run: inout DecodingRun,
                           onToken: (Int) -> Void) throws(LlamaError) {
        let e = settings.exitLayer, layers = model.configuration.layerCount
        let d = model.configuration.embeddingLength
        var pending = try greedy(run.prompt(prompt))
        if run.accept(pending, layers: layers) { onToken(pending) }
        while run.canContinue() {
            let position = run.cache.count
            // Room for the pending token and the drafts, and no more drafts than tokens still wanted.
            let room = run.cache.capacity - position - 1
            let k = min(settings.draftLength, room, run.options.maxTokens - run.tokens.count)
            if k <= 0 {
                pending = try greedy(run.step(pending))
                if run.accept(pending, layers: layers) { onToken(pending) }
                continue
            }
            // Draft: the pending token and each draft through the shallow layers, one at a time.
            var shallow: [Float] = []
            shallow.reserveCapacity((k + 1) * d)
            var drafts: [Int] = []
            var input = pending
            for j in 0...k {
                var x = try model.embed([input])
                try model.runLayers(&x, count: 1, position: position + j, layers: 0..<e, cache: &run.cache,
                                    product: &run.product)
                shallow += x
                if j == k { break }
                input = try greedy(model.logits(x, columns: 0..<1, product: &run.product)[0])
                drafts.append(input)
            }
            // Verify: all k + 1 positions through the deep layers in one pass.
            try model.runLayers(&shallow, count: k + 1, position: position, layers: e..<layers, cache: &run.cache,
                                product: &run.product)
            let verified = try model.logits(shallow, columns: 0..<(k + 1), product: &run.product)
            run.usedLayers.insert(integersIn: 0..<layers)
            var agreed = 0
            var next = try greedy(verified[0])
            while agreed < k, drafts[agreed] == next {
                agreed += 1
                next = try greedy(verified[agreed])
            }
            run.drafted += k
            run.accepted += agreed
            run.cache.truncate(to: position + agreed + 1)
            for token in drafts[..<agreed] + [next] {
                if run.accept(token, layers: layers) { onToken(token) }
            }
            pending = next
        }
    }

    /// The highest logit, ties to the lowest ID (the sampler's greedy rule).
    func greedy(_ logits: [Float]) throws(LlamaError) -> Int {
        do {
            return try Sampler.greedyToken(logits: logits, parameters: .greedy, recentTokens: [])
        } catch { throw .sampling(error) }
    }
}
