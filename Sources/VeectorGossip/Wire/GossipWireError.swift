import VeectorWire

/// What is wrong with bytes a peer sent as a gossip frame: where (the field) and what. Any of these
/// costs the sending peer score (`Spec/gossip.md`, "Validation").
public enum GossipWireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame is longer than the limit.
    case frameTooLarge(bytes: Int, limit: Int)
    /// The bytes are not canonical bencode.
    case malformedBencode(BencodeError)
    /// The frame or envelope declares a version this node does not speak.
    case unsupportedVersion(Int64)
    /// The frame kind (`y`) is unknown.
    case unknownKind([UInt8])
    /// A required field is absent.
    case missingField(String)
    /// A field this version does not define is present.
    case unexpectedField(String)
    /// A field has the wrong bencode type or an invalid value; `reason` says which rule it breaks.
    case invalidField(String, reason: String)

    /// What is wrong and what the sender should do.
    public var description: String {
        switch self {
        case let .frameTooLarge(bytes, limit):
            "gossip frame of \(bytes) bytes exceeds \(limit): the sender must split or shrink it"
        case let .malformedBencode(error):
            "gossip frame is not canonical bencode (\(error)): the sender must encode with sorted keys and minimal integers"
        case let .unsupportedVersion(v):
            "gossip version \(v) is not supported (this node speaks \(GossipLimits.version)): upgrade one side"
        case let .unknownKind(kind):
            "unknown gossip frame kind \"\(String(decoding: kind.prefix(8), as: UTF8.self))\": expected m, h, g, p, s or u"
        case let .missingField(field):
            "gossip frame lacks required field \"\(field)\": see Spec/gossip.md"
        case let .unexpectedField(field):
            "gossip frame has field \"\(field)\" that version \(GossipLimits.version) does not define: remove it"
        case let .invalidField(field, reason):
            "gossip field \"\(field)\" is invalid: \(reason)"
        }
    }
}
