import VeectorNet

/// Why `PeerLinks` could not reach a peer or carry a message.
public enum PeerLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No session to the peer and no address known for it (the DHT has no endpoint record for the key).
    case noAddress(PeerKey)
    /// Every address tried failed; the reasons, one per address.
    case unreachable(PeerKey?, [String])
    /// The peer is refused (graylisted) until the given number of seconds from now.
    case refused(PeerKey, seconds: Int)
    /// The peer is this node.
    case ourselves
    /// The service is shutting down.
    case stopped

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case let .noAddress(key):
            "no session to peer \(key) and no address known for it; it has not published an endpoint record the DHT could find"
        case let .unreachable(key, reasons):
            "could not open a session to \(key.map { "peer \($0)" } ?? "the peer"): \(reasons.joined(separator: "; "))"
        case let .refused(key, seconds):
            "peer \(key) is graylisted for another \(seconds) s for misbehaving"
        case .ourselves: "that peer is this node"
        case .stopped: "the node's peer service is stopping"
        }
    }
}
