import Foundation
import Testing
import VeectorEngine

/// Logits whose softmax (temperature 1) is exactly `probabilities` up to float rounding.
private func samplingLogits(_ probabilities: [Double]) -> [Float] {
    probabilities.map { Float(Foundation.log($0)) }
}

/// Softmax of `logits` at `temperature`, computed independently in Double.
private func samplingSoftmax(_ logits: [Float], temperature: Double) -> [Double] {
    let top = Double(logits.max()!)
    let weights = logits.map { Foundation.exp((Double($0) - top) / temperature) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
}

@Suite struct SamplingTests {
    @Test func greedyPicksArgmaxWithTiesToLowestID() throws {
        var sampler = try Sampler(parameters: .greedy)
        #expect(try sampler.next(logits: [0.1, 2.5, -1, 2.4]) == 1)
        #expect(try sampler.next(logits: [1, 3, 0, 3, 3]) == 1)
        #expect(try sampler.next(logits: [-5, -5, -5]) == 0)
        #expect(try sampler.next(logits: [7]) == 0)
        #expect(sampler.recentTokens == [1, 1, 0, 0])
    }

    @Test func greedyOnVocabularySizedLogits() throws {
        var logits = (0..<49_152).map { Float(($0 * 7919) % 1000) / 100 }
        logits[31_337] = 42
        var sampler = try Sampler(parameters: .greedy)
        #expect(try sampler.next(logits: logits) == 31_337)
    }

    @Test func topKOneEqualsGreedy() throws {
        var generator = SamplingRandomGenerator(seed: 99)
        var sampler = try Sampler(parameters: SamplingParameters(temperature: 1.3, topK: 1, topP: 1, seed: 5))
        for _ in 0..<50 {
            // Coarse values so ties happen: top-k keeps the lowest ID among equals, like greedy.
            let logits = (0..<300).map { _ in Float(generator.next() % 20) }
            let greedy = try Sampler.distribution(logits: logits, parameters: .greedy)
            #expect(greedy.count == 1)
            #expect(try sampler.next(logits: logits) == greedy[0].token)
        }
    }

    @Test func topKKeepsTheKHighestBestFirst() throws {
        var generator = SamplingRandomGenerator(seed: 3)
        let logits = (0..<49_152).map { _ in Float(generator.nextUnit() * 30 - 15) }
        let parameters = SamplingParameters(temperature: 1, topK: 40, topP: 1)
        let kept = try Sampler.distribution(logits: logits, parameters: parameters)
        let expected = logits.enumerated().sorted { $0.element > $1.element }.prefix(40).map(\.offset)
        #expect(kept.map(\.token) == expected)
        #expect(abs(kept.map(\.probability).reduce(0, +) - 1) < 1e-9)
        let reference = samplingSoftmax(expected.map { logits[$0] }, temperature: 1)
        for (candidate, probability) in zip(kept, reference) {
            #expect(abs(candidate.probability - probability) < 1e-6)
        }
    }

    @Test func topPKeepsExactlyTheNucleus() throws {
        // Token IDs out of probability order, so the nucleus is not just a prefix of the IDs.
        let logits = samplingLogits([0.05, 0.4, 0.1, 0.25, 0.2])
        func nucleus(_ p: Double) throws -> [Int] {
            try Sampler.distribution(logits: logits, parameters: SamplingParameters(temperature: 1, topK: 0, topP: p))
                .map(\.token)
        }
        #expect(try nucleus(0.3) == [1])  // 0.4 ≥ 0.3
        #expect(try nucleus(0.6) == [1, 3])  // 0.65
        #expect(try nucleus(0.7) == [1, 3, 4])  // 0.85
        #expect(try nucleus(0.9) == [1, 3, 4, 2])  // 0.95
        #expect(try nucleus(0.97) == [1, 3, 4, 2, 0])
        #expect(try nucleus(1e-9) == [1])  // always at least one
        // Renormalised over the nucleus.
        let kept = try Sampler.distribution(logits: logits, parameters: SamplingParameters(temperature: 1, topK: 0, topP: 0.6))
        #expect(abs(kept[0].probability - 0.4 / 0.65) < 1e-6)
        #expect(abs(kept[1].probability - 0.25 / 0.65) < 1e-6)
        // top-k first, then top-p over what top-k left (0.4 and 0.25 renormalised: 0.615 ≥ 0.6).
        let both = try Sampler.distribution(logits: logits, parameters: SamplingParameters(temperature: 1, topK: 2, topP: 0.6))
        #expect(both.map(\.token) == [1])
    }

    @Test func minPDropsUnlikelyTokens() throws {
        let logits = samplingLogits([0.05, 0.4, 0.1, 0.25, 0.2])
        let parameters = SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0.3)  // keep p ≥ 0.12
        let kept = try Sampler.distribution(logits: logits, parameters: parameters)
        #expect(kept.map(\.token) == [1, 3, 4])
    }

    @Test func repetitionPenaltyChangesThePick() throws {
        // Positive logits are divided: 3.0 / 2 = 1.5 < 2.0.
        let positive: [Float] = [0.5, 3.0, 2.0]
        let parameters = SamplingParameters(temperature: 0, repetitionPenalty: 2, repetitionWindow: 4)
        #expect(try Sampler.distribution(logits: positive, parameters: parameters)[0].token == 1)
        #expect(try Sampler.distribution(logits: positive, parameters: parameters, recentTokens: [1])[0].token == 2)
        // Negative logits are multiplied: -0.5 · 2 = -1.0 < -0.8.
        let negative: [Float] = [-0.5, -0.8, -3]
        #expect(try Sampler.distribution(logits: negative, parameters: parameters, recentTokens: [0])[0].token == 1)
        // Only the last `repetitionWindow` tokens count, each once.
        #expect(try Sampler.distribution(logits: positive, parameters: parameters, recentTokens: [1, 0, 0, 0, 0])[0].token == 1)
        #expect(try Sampler.distribution(logits: positive, parameters: parameters, recentTokens: [1, 1, 1])[0].token == 2)

        // A stateful sampler penalises what it generated itself.
        var sampler = try Sampler(parameters: parameters)
        #expect(try sampler.next(logits: positive) == 1)
        #expect(try sampler.next(logits: positive) == 2)
        #expect(try sampler.next(logits: positive) == 1)  // 3.0/2 = 1.5 vs 2.0/2 = 1.0
        sampler.record([0, 0, 0, 0])  // window 4: tokens 1 and 2 fall out
        #expect(sampler.recentTokens == [0, 0, 0, 0])
        #expect(try sampler.next(logits: positive) == 1)
    }

    @Test func seededDrawsAreReproducibleAndMatchTheSoftmax() throws {
        let logits: [Float] = [1.0, 2.0, 0.5, 1.5, -0.5, 0.0]
        let temperature = 0.9
        let parameters = SamplingParameters(temperature: Float(temperature), topK: 0, topP: 1, seed: 20_261_123)
        func draws(_ parameters: SamplingParameters) throws -> [Int] {
            var sampler = try Sampler(parameters: parameters)
            return try (0..<1000).map { _ in try sampler.next(logits: logits) }
        }
        let first = try draws(parameters)
        #expect(try draws(parameters) == first)
        var other = parameters
        other.seed += 1
        #expect(try draws(other) != first)

        let expected = samplingSoftmax(logits, temperature: temperature)
        let reported = try Sampler.distribution(logits: logits, parameters: parameters)
        #expect(reported.map(\.token) == Array(0..<6))
        for (candidate, probability) in zip(reported, expected) {
            #expect(abs(candidate.probability - probability) < 1e-6)
        }
        var counts = [Int](repeating: 0, count: logits.count)
        for token in first { counts[token] += 1 }
        // Pearson chi-square, 5 degrees of freedom: 20.52 is the 0.999 quantile.
        var chiSquare = 0.0
        for (count, p) in zip(counts, expected) {
            let e: Double = 1000 * p
            let d: Double = Double(count) - e
            chiSquare += d * d / e
        }
        #expect(chiSquare < 20.52, "counts \(counts), expected \(expected.map { 1000 * $0 })")
        // And no frequency is more than 0.05 from its probability (≈ 3.5 standard deviations at most).
        for (count, p) in zip(counts, expected) {
            #expect(abs(Double(count) / 1000 - p) < 0.05)
        }
    }

    @Test func generatorIsReproducibleAndUniform() {
        var a = SamplingRandomGenerator(seed: 42)
        var b = SamplingRandomGenerator(seed: 42)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(Set(first).count == 100)
        var c = SamplingRandomGenerator(seed: 7)
        let units = (0..<10_000).map { _ in c.nextUnit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(units.reduce(0, +) / 10_000 - 0.5) < 0.01)
    }

    @Test func rejectsNonFiniteAndEmptyLogits() throws {
        for parameters in [SamplingParameters.greedy, SamplingParameters(temperature: 0.7)] {
            var sampler = try Sampler(parameters: parameters)
            #expect(throws: SamplingError.emptyLogits) { try sampler.next(logits: []) }
            #expect(throws: SamplingError.nonFiniteLogit(index: 1, value: .infinity)) {
                try sampler.next(logits: [0, .infinity, 1])
            }
            #expect(throws: SamplingError.nonFiniteLogit(index: 2, value: -.infinity)) {
                try sampler.next(logits: [0, 1, -.infinity])
            }
            do {
                _ = try sampler.next(logits: [0, 1, 2, .nan])
                Issue.record("NaN accepted")
            } catch {
                guard case .nonFiniteLogit(index: 3, value: let value) = error, value.isNaN else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(error.description.contains("logit 3 is nan"))
            }
            #expect(sampler.recentTokens.isEmpty)
        }
    }

    @Test func rejectsInvalidParameters() {
        let invalid = [
            SamplingParameters(temperature: -1), SamplingParameters(temperature: .nan),
            SamplingParameters(topK: -1), SamplingParameters(topP: 0), SamplingParameters(topP: 1.5),
            SamplingParameters(minP: 2), SamplingParameters(repetitionPenalty: 0),
            SamplingParameters(repetitionWindow: -1),
        ]
        for parameters in invalid {
            #expect(throws: SamplingError.self) { try Sampler(parameters: parameters) }
        }
        #expect(throws: SamplingError.invalidParameter(name: "topP", value: "0.0", expected: "in (0, 1] (1 keeps every token)")) {
            try SamplingParameters(topP: 0).validate()
        }
    }
}
