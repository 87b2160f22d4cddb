/// Why a gossip value could not be built or a `GossipCommand` could not be carried out.
/// Each description says what to do about it.
public enum GossipError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A peer key that is not a 32-byte Ed25519 public key.
    case invalidPeerKey(length: Int)
    /// A topic name that is empty or longer than `GossipTopic.maxBytes` UTF-8 bytes.
    case invalidTopic(name: String)
    /// A message ID that is not 32 bytes.
    case invalidMessageID(length: Int)
    /// An inline payload larger than the configured limit.
    case payloadTooLarge(bytes: Int, limit: Int)
    /// A sequence number or timestamp above `Int64.max` (bencode integers are signed 64-bit).
    case valueOutOfRange(field: String, value: UInt64)
    /// The encoded message would exceed the frame limit.
    case frameTooLarge(bytes: Int, limit: Int)
    /// The node already follows `GossipConfiguration.maxTopics` topics.
    case tooManyTopics(limit: Int)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case let .invalidPeerKey(n):
            "a peer key must be a 32-byte Ed25519 public key, got \(n) bytes: pass the key the session authenticated"
        case let .invalidTopic(name):
            "topic \"\(name.prefix(40))\" must be 1…\(GossipTopic.maxBytes) UTF-8 bytes: shorten it"
        case let .invalidMessageID(n):
            "a message ID must be a 32-byte SHA-256 digest, got \(n) bytes"
        case let .payloadTooLarge(bytes, limit):
            "inline payload of \(bytes) bytes exceeds \(limit): publish a pointer (CID and length) and serve the bytes by transfer"
        case let .valueOutOfRange(field, value):
            "\(field) \(value) exceeds Int64.max: use a smaller value"
        case let .frameTooLarge(bytes, limit):
            "the encoded message takes \(bytes) bytes, over the \(limit)-byte frame limit: make the payload smaller or use a pointer"
        case let .tooManyTopics(limit):
            "already subscribed to \(limit) topics: unsubscribe from one or raise GossipConfiguration.maxTopics"
        }
    }
}
