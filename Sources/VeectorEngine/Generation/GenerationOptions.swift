/// What a generation run should do: how many tokens, how to pick them, when to stop, and which
/// decoding strategy to use (plain, self-speculative, lossy early exit, or beam search).
public struct GenerationOptions: Sendable, Equatable {
    /// The most tokens to generate (stop tokens are not counted, and not emitted).
    public var maxTokens: Int
    /// How each token is picked; greedy (temperature 0) by default.
    public var sampling: SamplingParameters
    /// Tokens that end the generation; `nil` uses the model's (EOS, `<|im_end|>`, `<|endoftext|>`).
    public var stopTokens: Set<Int>?
    /// When the prompt is longer than the context window: `false` fails with `promptTooLong`; `true`
    /// keeps its most recent tokens, leaving room for `maxTokens` (at least one prompt token is kept).
    public var truncatePrompt: Bool
    /// Self-speculative decoding for greedy runs: `.automatic` uses `SpeculativeOptions.default` when
    /// the sampling is greedy without repetition penalty (it then gives exactly greedy output), plain
    /// decoding otherwise; `.off` always decodes one token per full pass.
    public var speculative: SpeculativeMode
    /// Lossy opt-in: leave the model after `exitLayer` layers when the shallow head's top-1 probability
    /// is at least this threshold. Output may differ from the full model's. `nil` is off.
    public var exitThreshold: EarlyExitOptions?
    /// Beam search with this many beams (scored by length-normalised log-probability; `sampling`,
    /// `speculative` and `exitThreshold` are then ignored). `nil` is no beam search; 1 beam is greedy.
    public var beams: Int?
    /// Beam scores are `log P / length^lengthPenalty` (1 is the plain average log-probability).
    public var lengthPenalty: Double

    /// Options with greedy sampling, 128 tokens, automatic speculation, no beam search.
    public init(maxTokens: Int = 128, sampling: SamplingParameters = .greedy, stopTokens: Set<Int>? = nil,
                truncatePrompt: Bool = false, speculative: SpeculativeMode = .automatic,
                exitThreshold: EarlyExitOptions? = nil, beams: Int? = nil, lengthPenalty: Double = 1) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopTokens = stopTokens
        self.truncatePrompt = truncatePrompt
        self.speculative = speculative
        self.exitThreshold = exitThreshold
        self.beams = beams
        self.lengthPenalty = lengthPenalty
    }
}

/// Whether greedy generation drafts with the model's own shallow layers and verifies in one pass.
public enum SpeculativeMode: Sendable, Equatable {
    /// Speculate with `SpeculativeOptions.default` when the output is guaranteed unchanged (greedy, no
    /// repetition penalty).
    case automatic
    /// Speculate with these settings (still only when greedy without repetition penalty).
    case on(SpeculativeOptions)
    /// Never speculate.
    case off
}

/// Self-speculative decoding settings: draft `draftLength` tokens with the first `exitLayer` layers
/// plus the final norm and head, then verify them with the remaining layers in one batched pass.
public struct SpeculativeOptions: Sendable, Equatable {
    /// Layers the draft runs before the head (1 ≤ exitLayer < layer count).
    public var exitLayer: Int
    /// Tokens drafted per verification pass (1…16; the pass runs draftLength + 1 columns).
    public var draftLength: Int

    /// Settings given explicitly.
    public init(exitLayer: Int, draftLength: Int) {
        self.exitLayer = exitLayer
        self.draftLength = draftLength
    }

    /// The settings measured best for SmolLM2-135M (see Spec/engine.md).
    public static let `default` = SpeculativeOptions(exitLayer: 26, draftLength: 2)
}

/// Lossy early exit: stop after `exitLayer` layers for a token when the shallow head is confident.
public struct EarlyExitOptions: Sendable, Equatable {
    /// The shallow head's top-1 probability at or above which the token is taken without the deeper layers.
    public var threshold: Double
    /// Layers run before the shallow head is consulted.
    public var exitLayer: Int

    /// Settings given explicitly.
    public init(threshold: Double, exitLayer: Int) {
        self.threshold = threshold
        self.exitLayer = exitLayer
    }
}
