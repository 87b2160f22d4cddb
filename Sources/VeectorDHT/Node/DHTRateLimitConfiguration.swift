/// The per-source-address token bucket applied to every incoming datagram before it is decoded.
public struct DHTRateLimitConfiguration: Hashable, Sendable {
    /// Datagrams per second one IPv4 address may send on average.
    public var packetsPerSecond: Int
    /// Datagrams one address may send in a burst (the bucket's size).
    public var burst: Int
    /// Most addresses tracked at once; beyond it idle (full) buckets are forgotten first, then the
    /// least recently seen.
    public var maxTrackedAddresses: Int

    /// Makes a configuration; the defaults (50/s, burst 100, 4096 addresses) are far above what an
    /// honest node sends to one peer (a few queries per lookup) and far below a flood.
    public init(packetsPerSecond: Int = 50, burst: Int = 100, maxTrackedAddresses: Int = 4096) {
        precondition(packetsPerSecond > 0 && burst > 0 && maxTrackedAddresses > 0, "rate limits must be positive")
        self.packetsPerSecond = packetsPerSecond
        self.burst = burst
        self.maxTrackedAddresses = maxTrackedAddresses
    }
}
