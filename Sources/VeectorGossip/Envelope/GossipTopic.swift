/// A gossip topic: the channel a message is published on and peers subscribe to, for example
/// `model/<CID>/improvements`, `user/<ID>/devices` or `announce`.
public struct GossipTopic: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Longest topic name, in UTF-8 bytes.
    public static let maxBytes = 128

    /// The topic's name (1…128 UTF-8 bytes).
    public let name: String

    /// A topic; fails if the name is empty or longer than `maxBytes` UTF-8 bytes.
    public init(_ name: String) throws(GossipError) {
        let n = name.utf8.count
        guard n > 0, n <= Self.maxBytes else { throw .invalidTopic(name: name) }
        self.name = name
    }

    /// A topic from a literal in code; a literal that breaks the rules is a programming error.
    public init(stringLiteral value: String) {
        precondition(!value.isEmpty && value.utf8.count <= Self.maxBytes, "topic literal must be 1…128 UTF-8 bytes")
        name = value
    }

    init(unchecked name: String) { self.name = name }

    /// Orders topics by name, for deterministic iteration.
    public static func < (lhs: GossipTopic, rhs: GossipTopic) -> Bool { lhs.name < rhs.name }

    /// The name.
    public var description: String { name }
}
