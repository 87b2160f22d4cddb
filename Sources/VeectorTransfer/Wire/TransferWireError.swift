/// What is wrong with bytes a peer sent as a transfer message or manifest: where (the field and
/// byte offset) and what. A provider that receives one drops the requester's session; a fetcher
/// stops using the provider that sent it (`Spec/transfer.md`, "Errors").
public enum TransferWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message is longer than the limit in force.
    case messageTooLarge(bytes: Int, limit: Int)
    /// The bytes end inside `field`, which starts at `offset`.
    case truncated(field: String, offset: Int)
    /// The message or manifest declares a version this node does not speak.
    case unsupportedVersion(UInt8)
    /// The message kind byte is not one of 1…8.
    case unknownKind(UInt8)
    /// The manifest does not start with the bytes "VTRM".
    case badManifestMagic
    /// `field` (at `offset`) has a value the format forbids; `reason` says which rule it breaks.
    case invalidField(String, offset: Int, reason: String)
    /// Bytes are left over after a complete message or manifest.
    case trailingBytes(Int)

    /// What is wrong and what the sender should do.
    public var description: String {
        switch self {
        case let .messageTooLarge(bytes, limit):
            "transfer message of \(bytes) bytes exceeds the \(limit)-byte limit: the sender must use smaller chunks"
        case let .truncated(field, offset):
            "transfer message ends inside \"\(field)\" at byte \(offset): the sender cut it short; see Spec/transfer.md"
        case let .unsupportedVersion(v):
            "transfer version \(v) is not supported (this node speaks \(TransferLimits.version)): upgrade one side"
        case let .unknownKind(k):
            "unknown transfer message kind \(k): expected 1 (manifest request) … 8 (cancel)"
        case .badManifestMagic:
            "a transfer manifest must start with \"VTRM\": the bytes are not a manifest"
        case let .invalidField(field, offset, reason):
            "transfer field \"\(field)\" at byte \(offset) is invalid: \(reason)"
        case let .trailingBytes(n):
            "\(n) bytes follow a complete transfer message: the sender must send exactly one message per session message"
        }
    }
}
