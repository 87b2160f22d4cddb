/// A point in time as the driver sees it: nanoseconds since an origin the driver chooses (the NIO
/// driver's monotonic clock, or the simulator's virtual clock). A protocol core never reads a clock;
/// every event arrives with an `Instant`.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the driver's origin.
    public var nanoseconds: UInt64

    /// Wraps a nanosecond count.
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// The driver's origin (time zero).
    public static let zero = Instant(nanoseconds: 0)

    /// An instant `seconds` after the origin (for tests and configuration).
    public static func seconds(_ seconds: UInt64) -> Instant { Instant(nanoseconds: seconds * 1_000_000_000) }

    /// This instant moved forward by `duration` (negative durations move it back, saturating at zero).
    public func advanced(by duration: Duration) -> Instant {
        let delta = duration.nanosecondCount
        if delta >= 0 {
            let (sum, overflow) = nanoseconds.addingReportingOverflow(UInt64(delta))
            return Instant(nanoseconds: overflow ? .max : sum)
        }
        let back = UInt64(-delta)
        return Instant(nanoseconds: back > nanoseconds ? 0 : nanoseconds - back)
    }

    /// The time from `earlier` to `self` (zero if `earlier` is later).
    public func duration(since earlier: Instant) -> Duration {
        guard nanoseconds > earlier.nanoseconds else { return .zero }
        return .nanoseconds(Int64(clamping: nanoseconds - earlier.nanoseconds))
    }

    /// Orders instants by time.
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// "12.345678901s".
    public var description: String {
        let s = nanoseconds / 1_000_000_000, ns = nanoseconds % 1_000_000_000
        let frac = String(ns)
        return "\(s).\(String(repeating: "0", count: 9 - frac.count))\(frac)s"
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64`'s range.
    public var nanosecondCount: Int64 {
        let (s, atto) = components
        let (ns, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return s < 0 ? .min : .max }
        let (total, o2) = ns.addingReportingOverflow(atto / 1_000_000_000)
        return o2 ? (s < 0 ? .min : .max) : total
    }
}
