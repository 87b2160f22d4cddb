import VeectorWire

/// A protocol core that speaks datagrams (the DHT): what `UDPDriver` needs to know to feed it packets and
/// timer expiries and to carry out its actions, beyond what `ProtocolCore` says.
///
/// A core conforms by naming its timer type, saying how a received datagram and a fired timer become
/// events, and sorting each of its actions into "send", "arm/cancel a timer" or "hand to the owner".
public protocol DatagramProtocolCore: ProtocolCore, SendableMetatype where Event: Sendable, Action: Sendable {
    /// Identifies one of the core's timers (arming the same ID again replaces the earlier timer).
    associatedtype TimerID: Hashable & Sendable

    /// The event for a datagram that arrived from `source`.
    static func datagramEvent(from source: PeerAddress, bytes: [UInt8]) -> Event

    /// The event for the timer `id` firing.
    static func timerEvent(_ id: TimerID) -> Event

    /// What the driver must do for `action`.
    static func driverAction(for action: Action) -> DatagramDriverAction<TimerID>
}

/// The driver's reading of one core action.
public enum DatagramDriverAction<TimerID: Hashable & Sendable>: Sendable {
    /// Send `bytes` as one UDP datagram to `destination`.
    case send(to: PeerAddress, bytes: [UInt8])
    /// Arm timer `id` to fire `after` from now (replacing an armed timer with the same ID).
    case setTimer(TimerID, after: Duration)
    /// Arm timer `id` to fire at the driver instant `deadline` (immediately if it has passed).
    case setTimerAt(TimerID, deadline: Instant)
    /// Disarm timer `id` if armed.
    case cancelTimer(TimerID)
    /// Not for the driver: hand the action to the driver's owner (results, logs, persistence).
    case deliver
}
