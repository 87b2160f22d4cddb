/// Why a llama model could not be configured, run or asked to generate. Each message names the value
/// at fault and says what to do.
public enum LlamaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A GGUF metadata key the model needs is absent.
    case missingMetadata(key: String)
    /// A GGUF metadata value has the wrong type or an impossible value.
    case invalidMetadata(key: String, value: String, expected: String)
    /// The file's architecture is not one this forward pass implements.
    case unsupportedArchitecture(String)
    /// A block's weights could not be supplied, or a tensor has the wrong type or shape.
    case weights(WeightSourceError)
    /// A kernel refused a tensor (unsupported type, row length not a multiple of 32).
    case kernelFailed(tensor: String, type: GGMLType, rowLength: Int)
    /// A token ID is outside the vocabulary.
    case tokenOutOfRange(token: Int, vocabularySize: Int)
    /// No prompt tokens were given.
    case emptyPrompt
    /// The prompt does not fit in the context window (and truncation was not asked for).
    case promptTooLong(tokens: Int, contextWindow: Int)
    /// The KV cache is full: the sequence reached the context window.
    case contextFull(contextWindow: Int)
    /// A generation option is out of range.
    case invalidOption(name: String, value: String, expected: String)
    /// The sampler rejected its parameters or the logits.
    case sampling(SamplingError)
    /// The compute threads could not be started (a count outside 1...1024, or the system refused).
    case computeThreads(requested: Int)

    /// A message naming the value at fault and what to do.
    public var description: String {
        switch self {
        case let .missingMetadata(key):
            return "the GGUF has no metadata key \(key); the model file is incomplete or not a llama model"
        case let .invalidMetadata(key, value, expected):
            return "GGUF metadata \(key) = \(value) is unusable; expected \(expected)"
        case let .unsupportedArchitecture(arch):
            return "architecture \"\(arch)\" is not supported; this forward pass runs \"llama\" models"
        case let .weights(error):
            return error.description
        case let .kernelFailed(tensor, type, rowLength):
            return "the kernels cannot multiply tensor \(tensor) (\(type), rows of \(rowLength)); re-quantise it to F32, F16, BF16, Q4_0, Q4_1 or Q8_0 with rows a multiple of 32"
        case let .tokenOutOfRange(token, size):
            return "token \(token) is outside the vocabulary (0..<\(size)); encode text with this model's tokenizer"
        case .emptyPrompt:
            return "the prompt has no tokens; give at least one token (e.g. the BOS token)"
        case let .promptTooLong(tokens, window):
            return "the prompt has \(tokens) tokens but the context window holds \(window); shorten it or ask for truncation"
        case let .contextFull(window):
            return "the sequence reached the context window of \(window) tokens; start a new sequence or use a larger window"
        case let .invalidOption(name, value, expected):
            return "generation option \(name) = \(value) is invalid; expected \(expected)"
        case let .sampling(error):
            return error.description
        case let .computeThreads(requested):
            return "could not start \(requested) compute threads; ask for 1 to 1024 threads (at most the cores you have)"
        }
    }
}
