import VeectorWire

/// A token bucket per source IPv4 address, bounded in the number of addresses it remembers.
/// Time is injected; a bucket refills at `packetsPerSecond` up to `burst`.
public struct DHTRateLimiter: Sendable {
    /// The limits in force.
    public let configuration: DHTRateLimitConfiguration
    /// Per address: tokens (in millionths of a packet) and when they were last topped up.
    private var buckets: [IPv4Address: (micros: Int64, updated: Instant)] = [:]

    /// An empty limiter.
    public init(configuration: DHTRateLimitConfiguration) { self.configuration = configuration }

    /// Addresses currently tracked.
    public var trackedAddresses: Int { buckets.count }

    private var capacity: Int64 { Int64(configuration.burst) * 1_000_000 }

    /// Takes one token for `ip` at `now`; false if its bucket is empty (drop the datagram).
    public mutating func allow(_ ip: IPv4Address, now: Instant) -> Bool {
        var tokens = buckets[ip].map { refilled($0, now: now) } ?? capacity
        guard tokens >= 1_000_000 else {
            buckets[ip] = (tokens, now)
            return false
        }
        tokens -= 1_000_000
        if buckets[ip] == nil && buckets.count >= configuration.maxTrackedAddresses { trim(now: now, making: 1) }
        buckets[ip] = (tokens, now)
        return true
    }

    /// Forgets addresses whose bucket has refilled completely (they are indistinguishable from new).
    public mutating func trim(now: Instant) { trim(now: now, making: 0) }

    private mutating func trim(now: Instant, making room: Int) {
        let cap = capacity
        buckets = buckets.filter { refilled($0.value, now: now) < cap }
        let excess = buckets.count + room - configuration.maxTrackedAddresses
        guard excess > 0 else { return }
        // Still full of active addresses: forget the least recently seen (ties by address).
        let victims = buckets.sorted { ($0.value.updated, $0.key.value) < ($1.value.updated, $1.key.value) }.prefix(excess)
        for v in victims { buckets[v.key] = nil }
    }

    private func refilled(_ b: (micros: Int64, updated: Instant), now: Instant) -> Int64 {
        let elapsedMicros = now.duration(since: b.updated).nanosecondCount / 1000
        let (gain, overflow) = elapsedMicros.multipliedReportingOverflow(by: Int64(configuration.packetsPerSecond))
        return overflow ? capacity : min(capacity, b.micros + gain)
    }
}
