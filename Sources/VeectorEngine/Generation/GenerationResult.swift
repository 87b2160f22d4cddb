/// What a generation run produced and how: the tokens, why it stopped, and its provenance.
public struct GenerationResult: Sendable, Equatable {
    /// The generated tokens, without the prompt and without the stop token.
    public var tokens: [Int]
    /// Why generation ended.
    public var stopReason: StopReason
    /// Beam search only: the chosen beam's total log-probability (natural log, stop token included).
    public var beamLogProbability: Double?
    /// Beam search only: the chosen beam's length-normalised score (what beams were ranked by).
    public var beamScore: Double?
    /// Which blocks ran, how deep, at what precision and how fast.
    public var provenance: GenerationProvenance

    /// Why a generation ended.
    public enum StopReason: Sendable, Equatable {
        /// A stop token was picked (it is not in `tokens`).
        case stopToken(Int)
        /// `maxTokens` tokens were generated.
        case maxTokens
        /// The sequence filled the context window.
        case contextFull
    }

    init(tokens: [Int], stopReason: StopReason, provenance: GenerationProvenance) {
        self.tokens = tokens
        self.stopReason = stopReason
        self.provenance = provenance
    }
}
