/// How the simulated network behaves between any two peers.
///
/// One-way delay = a per-link base delay (drawn once per pair, uniformly between `minimumLatency` and
/// `maximumLatency`, so some links are near and some far) + an exponential jitter with mean `jitter`
/// (which reorders packets) + the sender's uplink serialisation time (`uplinkBytesPerSecond`). Each
/// datagram is lost with probability `loss`.
public struct NetworkConditions: Sendable, Equatable {
    /// Shortest base one-way delay of a link.
    public var minimumLatency: Duration
    /// Longest base one-way delay of a link.
    public var maximumLatency: Duration
    /// Mean of the exponential jitter added to every packet.
    public var jitter: Duration
    /// Probability that a datagram is lost.
    public var loss: Double
    /// Each peer's uplink, in bytes per second (0 = unlimited).
    public var uplinkBytesPerSecond: Int

    /// Conditions of a broadband network: 10–80 ms links, 5 ms jitter, 0.5 % loss, 10 Mbit/s uplinks.
    public init(minimumLatency: Duration = .milliseconds(10), maximumLatency: Duration = .milliseconds(80),
                jitter: Duration = .milliseconds(5), loss: Double = 0.005, uplinkBytesPerSecond: Int = 1_250_000) {
        self.minimumLatency = minimumLatency
        self.maximumLatency = maximumLatency
        self.jitter = jitter
        self.loss = loss
        self.uplinkBytesPerSecond = uplinkBytesPerSecond
    }
}

extension NetworkConditions {
    /// The base one-way delay between peers `a` and `b`: the same both ways and for the whole run,
    /// uniform over the pairs within `minimumLatency ..< maximumLatency` (an FNV-1a hash of the pair).
    func baseDelay(_ a: Int, _ b: Int) -> Duration {
        var h = TraceHash()
        h.add(UInt64(min(a, b)))
        h.add(UInt64(max(a, b)))
        let lo = minimumLatency.nanosecondCount, hi = maximumLatency.nanosecondCount
        guard hi > lo else { return .nanoseconds(lo) }
        return .nanoseconds(lo + Int64(h.value % UInt64(hi - lo)))
    }
}
