import VeectorDHT
import VeectorWire

/// The DHT core runs on `UDPDriver`: datagrams and timers in, `send`/`setTimer` carried out,
/// `complete` handed to the owner.
extension DHTNode: DatagramProtocolCore {
    /// The DHT's timers (query timeouts, maintenance, republishing).
    public typealias TimerID = DHTTimer

    /// A received datagram.
    public static func datagramEvent(from source: PeerAddress, bytes: [UInt8]) -> DHTEvent {
        .datagram(from: source, bytes: bytes)
    }

    /// A fired timer.
    public static func timerEvent(_ id: DHTTimer) -> DHTEvent { .timer(id) }

    /// `send` and `setTimer` are the driver's; `complete` goes to the owner.
    public static func driverAction(for action: DHTAction) -> DatagramDriverAction<DHTTimer> {
        switch action {
        case let .send(to, bytes): return .send(to: to, bytes: bytes)
        case let .setTimer(timer, at): return .setTimerAt(timer, deadline: at)
        case .complete: return .deliver
        }
    }
}
