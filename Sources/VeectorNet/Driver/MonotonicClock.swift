import NIOCore
import VeectorWire

/// The drivers' clock: turns the system's monotonic clock into the `Instant`s protocol cores see, counted
/// from the moment the clock was made (so a node's instants start near zero and never jump with the wall clock).
public struct MonotonicClock: Sendable {
    private let origin: UInt64

    /// Starts a clock whose `now()` is zero at this moment.
    public init() { origin = NIODeadline.now().uptimeNanoseconds }

    /// The current instant.
    public func now() -> Instant {
        let t = NIODeadline.now().uptimeNanoseconds
        return Instant(nanoseconds: t >= origin ? t - origin : 0)
    }

    /// The time left until `instant` (zero if it has passed).
    public func delay(until instant: Instant) -> Duration { instant.duration(since: now()) }
}
