import VeectorWire

/// What a driver (the NIO session driver, or the simulator) feeds a `GossipNode`.
public enum GossipEvent: Hashable, Sendable {
    /// An authenticated session to `peer` is open (the session core proved the key).
    case linkUp(GossipPeer)
    /// The session to `peer` closed (for any reason, including our own `disconnect`).
    case linkDown(GossipPeer)
    /// One gossip frame arrived from `peer` over its session (raw bytes, not yet validated).
    case received(from: GossipPeer, bytes: [UInt8])
    /// The driver handed one `send` to `peer` to its session: the node may send the next queued
    /// frame to it (per-peer back-pressure; see `GossipConfiguration.sendWindow`).
    case sendCompleted(to: GossipPeer)
    /// A timer the node set with `GossipAction.setTimer` is due (early or stale firings are ignored).
    case timer(GossipTimer)
    /// A local request from the application.
    case command(GossipCommand)
}
