import Foundation

/// Picks the next token ID from a logits vector, one call per generated token. Greedy (the highest
/// logit, ties to the lowest ID) when the temperature is 0; otherwise, in llama.cpp's order: repetition
/// penalty over the recent tokens, top-k (partial selection), top-p, min-p, temperature-scaled softmax
/// (max subtracted), then a draw from the sampler's own seeded generator. The repetition penalty also
/// applies before the greedy pick (as in llama.cpp and Hugging Face). Same seed, parameters and logits:
/// same tokens. Beam search is out of scope.
public struct Sampler: Sendable {
    /// The parameters this sampler was made with (validated).
    public let parameters: SamplingParameters
    /// The most recent tokens (at most `parameters.repetitionWindow`), oldest first, that the
    /// repetition penalty looks at: every sampled token, plus any passed to `record(_:)`.
    public private(set) var recentTokens: [Int] = []
    private var generator: SamplingRandomGenerator

    /// A sampler seeded with `parameters.seed`; throws `SamplingError.invalidParameter` for values out
    /// of range.
    public init(parameters: SamplingParameters) throws(SamplingError) {
        try parameters.validate()
        self.parameters = parameters
        self.generator = SamplingRandomGenerator(seed: parameters.seed)
    }

    /// Adds tokens (such as the prompt, for llama.cpp's behaviour) to the repetition-penalty window.
    public mutating func record(_ tokens: some Sequence<Int>) {
        guard parameters.repetitionWindow > 0 else { return }
        recentTokens.append(contentsOf: tokens)
        if recentTokens.count > parameters.repetitionWindow {
            recentTokens.removeFirst(recentTokens.count - parameters.repetitionWindow)
        }
    }

    /// The next token for `logits` (one entry per vocabulary token); records it for the repetition
    /// penalty. Throws for empty or non-finite logits.
    public mutating func next(logits: [Float]) throws(SamplingError) -> Int {
        let token: Int
        if parameters.temperature == 0 {
            token = try Self.greedyToken(logits: logits, parameters: parameters, recentTokens: recentTokens)
        } else {
            let candidates = try Self.distribution(logits: logits, parameters: parameters, recentTokens: recentTokens)
            token = Self.draw(from: candidates, unit: generator.nextUnit())
        }
        record(CollectionOfOne(token))
        return token
    }

    /// The tokens that can be drawn and their probabilities, after the penalty, the filters and the
    /// temperature (at temperature 0: the greedy token with probability 1). Best first when top-k or
    /// top-p is active (ties to the lower ID), otherwise in ID order.
    public static func distribution(
        logits: [Float], parameters: SamplingParameters, recentTokens: [Int] = []
    ) throws(SamplingError) -> [TokenProbability] {
        try parameters.validate()
        if parameters.temperature == 0 {
            let token = try greedyToken(logits: logits, parameters: parameters, recentTokens: recentTokens)
            return [TokenProbability(token: token, probability: 1)]
        }
        let values = try penalized(logits, parameters: parameters, recentTokens: recentTokens)
        var candidates: [(token: Int, logit: Float)]
        let sorted: Bool
        if parameters.topK > 0, parameters.topK < values.count {
            candidates = TopKSelection.select(values, k: parameters.topK)
            sorted = true
        } else {
            candidates = values.enumerated().map { (token: $0.offset, logit: $0.element) }
            sorted = parameters.topP < 1
            if sorted { candidates.sort(by: TopKSelection.ranksAbove) }
        }
        let maxLogit = sorted ? candidates[0].logit : candidates.reduce(-Float.infinity) { max($0, $1.logit) }

        if parameters.topP < 1 {
            // Probabilities at temperature 1 over the remaining candidates (sorted best first).
            var total = 0.0
            for candidate in candidates { total += Foundation.exp(Double(candidate.logit - maxLogit)) }
            var cumulative = 0.0
            var keep = candidates.count
            for (index, candidate) in candidates.enumerated() {
                cumulative += Foundation.exp(Double(candidate.logit - maxLogit)) / total
                if cumulative >= parameters.topP {
                    keep = index + 1
                    break
                }
            }
            candidates.removeSubrange(keep...)
        }
        if let minP = parameters.minP, minP > 0 {
            // p ≥ minP · pmax  ⇔  logit ≥ maxLogit + ln(minP); the best token always stays.
            let threshold = Double(maxLogit) + Foundation.log(minP)
            candidates.removeAll { Double($0.logit) < threshold && $0.logit != maxLogit }
        }

        let inverseTemperature = 1 / Double(parameters.temperature)
        var weights = candidates.map { Foundation.exp(Double($0.logit - maxLogit) * inverseTemperature) }
        let total = weights.reduce(0, +)
        for index in weights.indices { weights[index] /= total }
        return zip(candidates, weights).map { TokenProbability(token: $0.0.token, probability: $0.1) }
    }

    /// The highest logit after the repetition penalty, ties to the lowest ID.
    static func greedyToken(
        logits: [Float], parameters: SamplingParameters, recentTokens: [Int]
    ) throws(SamplingError) -> Int {
        let values = try penalized(logits, parameters: parameters, recentTokens: recentTokens)
        var best = 0
        for index in 1..<values.count where values[index] > values[best] { best = index }
        return best
    }

    /// `logits` checked (non-empty, finite) with the repetition penalty applied once to each distinct
    /// recent token in the window: positive logits divided by the penalty, negative ones multiplied.
    static func penalized(
        _ logits: [Float], parameters: SamplingParameters, recentTokens: [Int]
    ) throws(SamplingError) -> [Float] {
        guard !logits.isEmpty else { throw .emptyLogits }
        for (index, value) in logits.enumerated() where !value.isFinite {
            throw .nonFiniteLogit(index: index, value: value)
        }
        let penalty = parameters.repetitionPenalty
        guard penalty != 1, parameters.repetitionWindow > 0, !recentTokens.isEmpty else { return logits }
        var values = logits
        let window = recentTokens.suffix(parameters.repetitionWindow)
        for token in Set(window) where token >= 0 && token < values.count {
            values[token] = values[token] > 0 ? values[token] / penalty : values[token] * penalty
        }
        return values
    }

    /// The token whose cumulative probability first exceeds `unit` (in [0, 1)); the last one if
    /// rounding leaves the sum just short.
    static func draw(from candidates: [TokenProbability], unit: Double) -> Int {
        var cumulative = 0.0
        for candidate in candidates {
            cumulative += candidate.probability
            if unit < cumulative { return candidate.token }
        }
        return candidates[candidates.count - 1].token
    }
}
