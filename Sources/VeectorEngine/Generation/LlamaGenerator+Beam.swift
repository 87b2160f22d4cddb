import Foundation

extension LlamaGenerator {
    /// One hypothesis of beam search: its tokens, total log-probability, cache and next-token logits.
    private struct Beam {
        var tokens: [Int]
        var layers: [Int]
        var logProbability: Double
        var cache: LlamaKVCache
        var logits: [Float]
    }

    /// Beam search: keeps the `width` most probable continuations; each step extends every live beam by
    /// its `width` best tokens and keeps the `width` best of all of them by total log-probability. A beam
    /// that picks a stop token is finished. The answer is the finished (or, at the end, live) beam with
    /// the best length-normalised score `log P / length^lengthPenalty`. Each beam has its own KV cache
    /// (copied on write from its parent). With one beam this is greedy decoding.
    func beamSearch(_ prompt: [Int], beams width: Int, run: inout DecodingRun,
                    onToken: (Int) -> Void) throws(LlamaError) {
        let layerCount = model.configuration.layerCount
        let first = try run.prompt(prompt)
        var live = [Beam(tokens: [], layers: [], logProbability: 0, cache: run.cache, logits: first)]
        var finished: [(beam: Beam, stop: Int?, score: Double)] = []
        let maxTokens = run.options.maxTokens
        func score(_ logP: Double, _ length: Int) -> Double {
            logP / Foundation.pow(Double(max(1, length)), run.options.lengthPenalty)
        }
        var contextFull = false
        while !live.isEmpty, finished.count < width {
            var candidates: [(beam: Int, token: Int, logP: Double)] = []
            for (index, beam) in live.enumerated() {
                let logP = LlamaMath.logSoftmax(beam.logits)
                for (token, _) in TopKSelection.select(beam.logits, k: width) {
                    guard logP[token].isFinite else { throw .sampling(.nonFiniteLogit(index: token, value: beam.logits[token])) }
                    candidates.append((index, token, beam.logProbability + logP[token]))
                }
            }
            candidates.sort { a, b in
                a.logP != b.logP ? a.logP > b.logP : (a.beam != b.beam ? a.beam < b.beam : a.token < b.token)
            }
            var next: [Beam] = []
            for candidate in candidates where next.count < width && finished.count < width {
                var beam = live[candidate.beam]
                beam.tokens.append(candidate.token)
                beam.layers.append(layerCount)
                beam.logProbability = candidate.logP
                if run.stopTokens.contains(candidate.token) {
                    beam.tokens.removeLast()
                    finished.append((beam, candidate.token, score(candidate.logP, beam.tokens.count + 1)))
                } else if beam.tokens.count >= maxTokens {
                    finished.append((beam, nil, score(candidate.logP, beam.tokens.count)))
                } else if beam.cache.count >= beam.cache.capacity {
                    contextFull = true
                    finished.append((beam, nil, score(candidate.logP, beam.tokens.count)))
                } else {
                    next.append(beam)
                }
            }
            for index in next.indices {
                let token = next[index].tokens[next[index].tokens.count - 1]
                next[index].logits = try model.forward([token], cache: &next[index].cache, logits: .last)[0]
            }
            live = next
        }
        for beam in live { finished.append((beam, nil, score(beam.logProbability, beam.tokens.count))) }
        // The best score; ties go to the hypothesis found first.
        var best = finished[0]
        for candidate in finished.dropFirst() where candidate.score > best.score { best = candidate }
        run.usedLayers.insert(integersIn: 0..<layerCount)
        for (token, layers) in zip(best.beam.tokens, best.beam.layers) {
            if run.accept(token, layers: layers) { onToken(token) }
        }
        if let stop = best.stop {
            _ = run.accept(stop, layers: layerCount)
        } else if run.stopReason == nil {
            run.stopReason = contextFull && best.beam.tokens.count < maxTokens ? .contextFull : .maxTokens
        }
        run.beamLogProbability = best.beam.logProbability
        run.beamScore = best.score
    }
}
