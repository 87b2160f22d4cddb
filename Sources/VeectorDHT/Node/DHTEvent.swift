import VeectorWire

/// What a driver (the SwiftNIO UDP driver in `veenode`, or the simulator's event loop) feeds a
/// `DHTNode`: a datagram that arrived, a timer the node asked for that fired, or a local command.
public enum DHTEvent: Hashable, Sendable {
    /// A UDP datagram arrived from `from` (raw bytes, not yet decoded or validated).
    case datagram(from: PeerAddress, bytes: [UInt8])
    /// A timer the node set with `DHTAction.setTimer` is due (early or stale firings are ignored).
    case timer(DHTTimer)
    /// A local request; the node answers it later with `DHTAction.complete` carrying the same ID.
    case command(DHTCommandID, DHTCommand)
}
