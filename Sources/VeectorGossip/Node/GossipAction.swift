import VeectorWire

/// What a `GossipNode` asks its driver to do, in the order returned.
public enum GossipAction: Hashable, Sendable {
    /// Send one gossip frame to `peer` over its session; then report `GossipEvent.sendCompleted`.
    case send(to: GossipPeer, bytes: [UInt8])
    /// Hand a new, valid message to the application (exactly once per message ID).
    case deliver(GossipEnvelope)
    /// Our own `publish` command was signed and sent; this is the envelope (its ID included).
    case published(GossipEnvelope)
    /// Close the session to `peer` and tell the node with `linkDown`.
    case disconnect(GossipPeer, reason: GossipDisconnectReason)
    /// Refuse sessions from `peer` until `until` (the node also refuses them itself).
    case graylist(GossipPeer, until: Instant)
    /// Open a session to this candidate peer (the node is below its target degree).
    case connect(GossipPeer)
    /// The node is below its target degree and has no candidates left: find `count` more peers
    /// (from the DHT, say) and pass them with `GossipCommand.addCandidates`.
    case requestPeers(count: Int)
    /// Deliver `GossipEvent.timer(timer)` at `at`. Setting a timer again replaces its deadline;
    /// timers are never cancelled (the node ignores firings it no longer needs).
    case setTimer(GossipTimer, at: Instant)
    /// A command could not be carried out.
    case commandFailed(GossipCommand, GossipError)
}
