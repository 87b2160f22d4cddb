/// How the next token is chosen from a logits vector: greedy when `temperature` is 0, otherwise a
/// seeded draw after repetition penalty, top-k, top-p and min-p filtering and temperature scaling
/// (llama.cpp's default order). Defaults are llama.cpp's except the repetition penalty, which is off.
public struct SamplingParameters: Sendable, Equatable {
    /// Softmax temperature; 0 picks the highest logit (greedy), higher values flatten the distribution.
    public var temperature: Float
    /// Keep only the `topK` highest logits; 0 (or at least the vocabulary size) keeps all of them.
    public var topK: Int
    /// Nucleus: keep the smallest set of most likely tokens whose probability (at temperature 1) sums
    /// to at least `topP`, always at least one token; 1 keeps all of them.
    public var topP: Double
    /// Drop tokens whose probability (at temperature 1) is below `minP` times the most likely token's;
    /// `nil` turns the filter off.
    public var minP: Double?
    /// Divide positive logits and multiply negative ones of recently seen tokens by this; 1 is off.
    public var repetitionPenalty: Float
    /// How many of the most recent tokens the repetition penalty looks at; 0 turns it off.
    public var repetitionWindow: Int
    /// Seed of the sampler's own random generator: the same seed and logits give the same tokens.
    public var seed: UInt64

    /// Parameters with llama.cpp's defaults (temperature 0.8, top-k 40, top-p 0.95, window 64), no
    /// repetition penalty and no min-p unless given.
    public init(
        temperature: Float = 0.8, topK: Int = 40, topP: Double = 0.95, minP: Double? = nil,
        repetitionPenalty: Float = 1, repetitionWindow: Int = 64, seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }

    /// Greedy decoding: always the highest logit (after any repetition penalty).
    public static let greedy = SamplingParameters(temperature: 0)

    /// Throws `SamplingError.invalidParameter` when a value is out of range or not a number.
    public func validate() throws(SamplingError) {
        guard temperature.isFinite, temperature >= 0 else {
            throw .invalidParameter(name: "temperature", value: "\(temperature)", expected: "a finite number ≥ 0")
        }
        guard topK >= 0 else {
            throw .invalidParameter(name: "topK", value: "\(topK)", expected: "≥ 0 (0 keeps every token)")
        }
        guard topP > 0, topP <= 1 else {
            throw .invalidParameter(name: "topP", value: "\(topP)", expected: "in (0, 1] (1 keeps every token)")
        }
        if let minP, !(minP >= 0 && minP <= 1) {
            throw .invalidParameter(name: "minP", value: "\(minP)", expected: "in [0, 1]")
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw .invalidParameter(
                name: "repetitionPenalty", value: "\(repetitionPenalty)", expected: "a finite number > 0 (1 is off)")
        }
        guard repetitionWindow >= 0 else {
            throw .invalidParameter(name: "repetitionWindow", value: "\(repetitionWindow)", expected: "≥ 0 (0 is off)")
        }
    }
}
