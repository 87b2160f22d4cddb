/// How a result was computed, so a caller (or a peer checking our work) can tell what ran: the weight
/// blocks, how many layers decided each token, the arithmetic, the strategy, and the speed.
public struct GenerationProvenance: Sendable, Equatable {
    /// The weight blocks read, in order of first use.
    public var blocks: [BlockRole]
    /// For each generated token (stop token included when one ended the run), how many layers ran
    /// before the head that picked it: the full depth, or the exit layer when it left early.
    public var layersPerToken: [Int]
    /// The model's layer count (the full depth).
    public var layerCount: Int
    /// How products on quantised weights were computed.
    public var precision: ComputePrecision
    /// The kernel set in use (e.g. "scalar", "avx2+fma").
    public var kernels: String
    /// The decoding strategy that ran.
    public var strategy: Strategy
    /// Prompt tokens processed and the seconds it took (one batched pass).
    public var promptTokens: Int
    /// Seconds spent on the prompt.
    public var promptSeconds: Double
    /// Tokens generated (stop token included) and the seconds it took.
    public var generatedTokens: Int
    /// Seconds spent generating.
    public var generationSeconds: Double
    /// Self-speculative decoding: tokens drafted by the shallow layers, and how many the full model kept.
    public var draftedTokens: Int
    /// Drafted tokens the verification pass agreed with.
    public var acceptedTokens: Int

    /// Prompt tokens per second.
    public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
    /// Generated tokens per second.
    public var generationTokensPerSecond: Double {
        generationSeconds > 0 ? Double(generatedTokens) / generationSeconds : 0
    }
    /// Fraction of drafted tokens accepted (0 when nothing was drafted).
    public var acceptanceRate: Double { draftedTokens > 0 ? Double(acceptedTokens) / Double(draftedTokens) : 0 }

    /// The decoding strategies.
    public enum Strategy: Sendable, Equatable {
        /// One full forward pass per token, picked by the sampler.
        case plain
        /// Greedy self-speculative decoding.
        case speculative(SpeculativeOptions)
        /// Lossy early exit.
        case earlyExit(EarlyExitOptions)
        /// Beam search with this many beams.
        case beam(Int)
    }
}
