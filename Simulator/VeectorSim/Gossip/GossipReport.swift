/// What a gossip run measured: how completely, how fast and how cheaply honest messages spread, and
/// how far attackers got. Part of `SimulationReport` (`gossipDetails`) when a scenario gossips.
public struct GossipReport: Codable, Sendable {
    /// FNV-1a hash of the gossip run's event trace: the same for the same scenario and seed.
    public var traceHash: String
    /// Events processed.
    public var events: Int
    /// Messages honest peers published.
    public var messages: Int
    /// (Honest peer running at the end and alive since publication, message) pairs expected, and
    /// how many of them were delivered.
    public var expectedDeliveries: Int, deliveries: Int
    /// `deliveries / expectedDeliveries` (1 when nothing was expected).
    public var deliveryRatio: Double
    /// The same ratio for messages published while a partition was in force (nil if none were).
    public var partitionDeliveryRatio: Double?
    /// Virtual milliseconds from publication to each honest delivery.
    public var latencyMilliseconds: Percentiles
    /// Full copies of a message each honest peer received (the delivered one included), over every
    /// delivered (peer, message) pair: mean and percentiles.
    public var copiesMean: Double
    /// Percentiles of the copies per (peer, message).
    public var copies: Percentiles
    /// Seconds from publication until every expected honest peer had a message, over the messages
    /// that got there.
    public var convergenceSeconds: Percentiles
    /// Messages that never reached every expected honest peer.
    public var unconverged: Int
    /// Frames and bytes put on links by everyone; links opened.
    public var frames: Int, bytes: Int, linksOpened: Int

    /// Attackers and how far they got.
    public struct Adversaries: Codable, Sendable {
        /// Attackers by kind.
        public var byKind: [String: Int]
        /// Bad frames and bytes they injected (their extra traffic).
        public var frames: Int, bytes: Int
        /// Their bad bytes as a share of all bytes on links.
        public var trafficShare: Double
        /// Frames honest peers dropped as invalid (malformed, bad signature, payload mismatch, …).
        public var honestRejections: Int
        /// Attackers that at least one honest peer disconnected and graylisted.
        public var graylisted: Int
        /// Honest peers that delivered or forwarded anything not genuinely published: must be zero.
        public var honestPeersReached: Int
    }
    /// Adversary figures.
    public var adversaries: Adversaries
    /// Invariants that failed (also copied into the run's `SimulationReport.violations`).
    public var violations: [String]

    /// One point of the delivery-over-time line.
    public struct Point: Codable, Sendable {
        /// Seconds since the start.
        public var seconds: Double
        /// Messages published so far.
        public var published: Int
        /// Honest deliveries so far over (messages so far × (running honest peers − 1)), capped at 1.
        public var deliveredFraction: Double
    }
    /// The run over time (about 120 points).
    public var timeline: [Point]

    /// The figures on a few lines, for `SimulationReport.summary`.
    public var summary: String {
        func pct(_ x: Double) -> String { format1(x * 100) + " %" }
        var lines: [String] = []
        lines.append("\(messages) messages; delivered \(deliveries)/\(expectedDeliveries) (\(pct(deliveryRatio)))"
                     + (partitionDeliveryRatio.map { "; published in a partition: \(pct($0))" } ?? ""))
        lines.append("  gossip latency ms   p50 \(format1(latencyMilliseconds.p50))  p90 \(format1(latencyMilliseconds.p90))  p99 \(format1(latencyMilliseconds.p99))  max \(format1(latencyMilliseconds.max))")
        lines.append("  gossip copies       mean \(format2(copiesMean))  p99 \(format1(copies.p99))  max \(format1(copies.max)) per peer per message")
        lines.append("  gossip convergence  p50 \(format1(convergenceSeconds.p50)) s  max \(format1(convergenceSeconds.max)) s; \(unconverged) messages never reached everyone")
        lines.append("  gossip traffic      \(frames) frames, \(bytes) bytes, \(linksOpened) links opened")
        if !adversaries.byKind.isEmpty {
            let kinds = adversaries.byKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append("  gossip adversaries  \(kinds); \(adversaries.frames) bad frames (\(pct(adversaries.trafficShare)) of bytes); "
                         + "\(adversaries.honestRejections) rejected by honest peers; \(adversaries.graylisted) graylisted")
            lines.append("  gossip bad data     reached \(adversaries.honestPeersReached) honest peers")
        }
        return lines.joined(separator: "\n")
    }
}

/// Two decimal places, without Foundation.
func format2(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    let v = Int((abs(x) * 100).rounded())
    let cents = v % 100
    return (x < 0 ? "-" : "") + "\(v / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
}
