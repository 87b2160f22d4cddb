/// Why a token could not be sampled. Every message names the value at fault and says what to check.
public enum SamplingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The logits vector has no entries.
    case emptyLogits
    /// A logit is NaN or infinite.
    case nonFiniteLogit(index: Int, value: Float)
    /// A sampling parameter is out of range.
    case invalidParameter(name: String, value: String, expected: String)

    /// A message that names the value at fault and says what to check.
    public var description: String {
        switch self {
        case .emptyLogits:
            return "the logits vector is empty; it must have one entry per vocabulary token"
        case let .nonFiniteLogit(index, value):
            return "logit \(index) is \(value); the model produced a non-finite value (check the weights and the kernels)"
        case let .invalidParameter(name, value, expected):
            return "sampling parameter \(name) = \(value) is invalid; expected \(expected)"
        }
    }
}
