import VeectorWire

/// What a `GossipNode` remembers about dialling one peer: failures in a row (refused or timed out),
/// the back-off they earned, a `connect` still waiting for its `linkUp`, and — for a peer whose
/// established link broke — until when it is redialled even at the target degree.
struct DialState: Sendable {
    /// Dials in a row that came to nothing; each doubles the back-off.
    var failures = 0
    /// Not dialled again before this.
    var notBefore: Instant
    /// When the `connect` in flight was handed to the driver (nil = none in flight).
    var dialedAt: Instant?
    /// A lost link's peer is redialled until this, even when the node has `targetPeers` links.
    var reconnectUntil: Instant?

    /// True if a `connect` to this peer may go out at `now`.
    func isDue(_ now: Instant) -> Bool { dialedAt == nil && notBefore <= now }
}
