/// A local request to a `GossipNode`. Failures come back as `GossipAction.commandFailed`.
public enum GossipCommand: Hashable, Sendable {
    /// Follow `topic`: receive, deliver and relay its messages.
    case subscribe(GossipTopic)
    /// Stop following `topic`.
    case unsubscribe(GossipTopic)
    /// Sign and send a new message on `topic` as this node. Answered by `GossipAction.published`.
    case publish(GossipTopic, GossipPayload)
    /// Peers the node may ask its driver to connect to when it has fewer than its target degree.
    case addCandidates([GossipPeer])
    /// Forget these candidate peers (links already open stay open).
    case removeCandidates([GossipPeer])
}
