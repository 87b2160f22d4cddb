extension SimulationReport {
    /// The report for people: a few aligned lines.
    public var summary: String {
        func pct(_ x: Double) -> String { String(format1(x * 100)) + " %" }
        var lines: [String] = []
        lines.append("veesim: \(scenario), \(peers) peers, \(format1(simulatedSeconds)) s simulated, seed \(seed)")
        lines.append("  events              \(events)")
        lines.append("  trace hash          \(traceHash)")
        lines.append("  convergence         " + (convergenceSeconds.map { format1($0) + " s" } ?? "not reached"))
        lines.append("  lookups             \(lookups.succeeded)/\(lookups.finished) succeeded (\(pct(lookups.successRate)))"
                     + "; items \(lookups.itemSucceeded)/\(lookups.itemLookups), providers \(lookups.peerSucceeded)/\(lookups.peerLookups)")
        lines.append("  hops                p50 \(format1(lookups.hops.p50))  p90 \(format1(lookups.hops.p90))  p99 \(format1(lookups.hops.p99))")
        lines.append("  lookup latency ms   p50 \(format1(lookups.latencyMilliseconds.p50))  p90 \(format1(lookups.latencyMilliseconds.p90))  p99 \(format1(lookups.latencyMilliseconds.p99))")
        lines.append("  queries per lookup  p50 \(format1(lookups.queries.p50))  p90 \(format1(lookups.queries.p90))")
        lines.append("  store acks          p50 \(format1(storeAcks.p50)) of k (n = \(storeAcks.count))")
        let drops = traffic.dropped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("  traffic             \(traffic.datagrams) datagrams, \(traffic.bytes) bytes; dropped: \(drops.isEmpty ? "none" : drops)")
        lines.append("  honest drops        rate-limited \(traffic.rateLimited), malformed \(traffic.malformed)")
        lines.append("  peers               \(runningPeers) running at the end; \(crashes) crashes, \(restarts) restarts")
        if !adversaries.byKind.isEmpty {
            let kinds = adversaries.byKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append("  adversaries         \(kinds); \(adversaries.messages) datagrams (\(pct(adversaries.trafficShare)) of bytes)")
            lines.append("  bad data reached    \(adversaries.honestPeersReached) honest peers")
            if lookups.eclipsedFinished > 0 {
                lines.append("  eclipsed key        \(lookups.eclipsedSucceeded)/\(lookups.eclipsedFinished) lookups still succeeded")
            }
        }
        lines.append("  gossip              " + (gossip ?? "not simulated (no gossip statements in the scenario; see veesim --gossip)"))
        if let transfer { lines.append("  transfer            " + transfer) }
        if violations.isEmpty {
            lines.append("  invariants          all held")
        } else {
            lines.append("  INVARIANTS VIOLATED (\(violations.count)) — reproduce with --seed \(seed):")
            for v in violations.prefix(10) { lines.append("    \(v)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// One decimal place, without Foundation (the simulator library stays Foundation-free).
func format1(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    let scaled = (x * 10).rounded()
    let negative = scaled < 0
    let v = Int(abs(scaled))
    return (negative ? "-" : "") + "\(v / 10).\(v % 10)"
}
