/// Why a `GossipNode` asks to close a session.
public enum GossipDisconnectReason: Hashable, Sendable, CustomStringConvertible {
    /// The peer's score fell to or below the threshold (it sent invalid messages); it is graylisted.
    case misbehaving(score: Int)
    /// The peer is graylisted and tried again before its time was up.
    case graylisted
    /// The node already has `GossipConfiguration.maxPeers` links.
    case tooManyPeers
    /// The link leads back to this node's own key.
    case selfLink

    /// Why, in words.
    public var description: String {
        switch self {
        case let .misbehaving(score): "peer sent invalid gossip (score \(score)); graylisted"
        case .graylisted: "peer is graylisted for sending invalid gossip; try again later"
        case .tooManyPeers: "this node has as many gossip links as it keeps; connect to another peer"
        case .selfLink: "the link leads back to this node"
        }
    }
}
