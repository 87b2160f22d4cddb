/// A protocol state machine: events in, actions out. No I/O, no clock, no global randomness.
///
/// Every Veector protocol (DHT, sessions, gossip, transfer, sync) is written as a `ProtocolCore`, so the
/// SwiftNIO driver in `veenode` and the event loop in `veesim` run exactly the same code. The driver
/// passes the current time and its seeded random source with every event and carries out the actions
/// the core returns (send a datagram, arm a timer, deliver a result…).
public protocol ProtocolCore {
    /// What can happen to the core: a datagram or session bytes arrived, a timer fired, a local command.
    associatedtype Event
    /// What the core asks its driver to do.
    associatedtype Action

    /// Feeds one event at `now`; returns the actions to carry out, in order.
    mutating func handle(_ event: Event, now: Instant, rng: inout some RandomNumberGenerator) -> [Action]
}
