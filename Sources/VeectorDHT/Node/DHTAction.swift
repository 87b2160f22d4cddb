import VeectorWire

/// What a `DHTNode` asks its driver to do, in the order returned.
public enum DHTAction: Hashable, Sendable {
    /// Send one UDP datagram to `to`.
    case send(to: PeerAddress, bytes: [UInt8])
    /// Deliver `DHTEvent.timer(timer)` at `at` (or as soon after as possible). Setting the same
    /// timer again replaces the earlier deadline; timers are never cancelled, the node ignores the
    /// ones it no longer needs.
    case setTimer(DHTTimer, at: Instant)
    /// The command with this ID is finished; no further action mentions it.
    case complete(DHTCommandID, DHTResult)
}
