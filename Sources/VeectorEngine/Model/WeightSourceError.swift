/// Why a block's weights could not be supplied. Each case says what to do about it.
public enum WeightSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The block lacks a tensor the model needs: the model file or block is incomplete.
    case missingTensor(block: BlockRole, name: String)
    /// A tensor has a type or shape this model cannot use.
    case unexpectedTensor(block: BlockRole, name: String, reason: String)
    /// The block is not installed here and could not be fetched.
    case unavailable(block: BlockRole, reason: String)
    /// The block's bytes do not match its content ID: it is corrupt and was not used.
    case corrupt(block: BlockRole, contentID: String, reason: String)
    /// The memory budget is smaller than the largest block, so the model cannot run under it.
    case budgetTooSmall(budget: Int, minimum: Int)

    public var description: String {
        switch self {
        case let .missingTensor(block, name):
            return "block \(block) has no tensor '\(name)': re-import the model"
        case let .unexpectedTensor(block, name, reason):
            return "block \(block), tensor '\(name)': \(reason)"
        case let .unavailable(block, reason):
            return "block \(block) is not available: \(reason)"
        case let .corrupt(block, cid, reason):
            return "block \(block) (\(cid)) is corrupt and was not used: \(reason); re-import or re-fetch it"
        case let .budgetTooSmall(budget, minimum):
            return "a memory budget of \(budget) bytes is too small: the largest block needs at least \(minimum) bytes"
        }
    }
}
