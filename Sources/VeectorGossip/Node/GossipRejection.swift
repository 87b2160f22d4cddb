/// Why a node dropped a frame from a peer (counted in `GossipStats.rejections`, and each costs the
/// peer the configured penalty).
public enum GossipRejection: Hashable, Sendable, CustomStringConvertible {
    /// Not a well-formed frame (bencode, schema, size, version).
    case malformed
    /// The envelope's signature does not verify against its author key.
    case badSignature
    /// The inline payload does not hash to the envelope's payload CID.
    case payloadMismatch
    /// The inline payload exceeds this node's limit.
    case payloadTooLarge
    /// Older than `GossipConfiguration.maxMessageAge`, or dated further ahead than the allowed skew.
    case stale
    /// The application's validator rejected it.
    case applicationRejected
    /// More frames from this peer in one heartbeat interval than allowed.
    case flooding

    /// The reason in words.
    public var description: String {
        switch self {
        case .malformed: "malformed frame"
        case .badSignature: "bad signature"
        case .payloadMismatch: "payload does not match its CID"
        case .payloadTooLarge: "inline payload too large"
        case .stale: "timestamp outside the freshness window"
        case .applicationRejected: "rejected by the application"
        case .flooding: "too many frames per interval"
        }
    }
}
