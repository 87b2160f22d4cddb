/// What a driver has carried, for `veenode status` and benchmarks.
public struct TrafficCounters: Codable, Sendable, Equatable {
    /// Datagrams (or stream reads) received.
    public var packetsIn: UInt64 = 0
    /// Bytes received.
    public var bytesIn: UInt64 = 0
    /// Datagrams (or stream writes) sent.
    public var packetsOut: UInt64 = 0
    /// Bytes sent.
    public var bytesOut: UInt64 = 0
    /// Sends the operating system refused (unreachable, buffer full…).
    public var sendErrors: UInt64 = 0
    /// Datagrams dropped before reaching the core (not IPv4, or larger than the limit).
    public var dropped: UInt64 = 0
    /// Timers that fired.
    public var timersFired: UInt64 = 0

    /// All zero.
    public init() {}
}
