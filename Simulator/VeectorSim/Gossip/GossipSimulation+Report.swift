import VeectorGossip
import VeectorWire

extension GossipSimulation {
    /// Gathers the figures of the finished run.
    func makeReport() -> GossipReport {
        var expected = 0, got = 0, partitionExpected = 0, partitionGot = 0, unconverged = 0
        var latencies: [Double] = [], copyCounts: [Double] = [], convergence: [Double] = []
        for (id, origin) in origins {
            let holders = deliveredAt[id] ?? [:]
            for (p, t) in holders where peers[p].isHonest {
                latencies.append(Double(t.duration(since: origin.time).nanosecondCount) / 1e6)
                copyCounts.append(Double(copies[id]?[p] ?? 0))
            }
            let want = expectedHolders(origin)
            let have = want.filter { holders[$0] != nil }.count
            expected += want.count
            got += have
            if origin.duringPartition { partitionExpected += want.count; partitionGot += have }
            if have == want.count {
                let last = want.compactMap { holders[$0] }.max() ?? origin.time
                convergence.append(Double(last.duration(since: origin.time).nanosecondCount) / 1e9)
            } else {
                unconverged += 1
            }
        }
        var byKind: [String: Int] = [:]
        for p in peers { if let k = p.adversary { byKind[k.rawValue, default: 0] += 1 } }
        let adversaries = GossipReport.Adversaries(
            byKind: byKind, frames: attackFrames, bytes: attackBytes,
            trafficShare: totalBytes == 0 ? 0 : Double(attackBytes) / Double(totalBytes),
            honestRejections: honestRejections, graylisted: graylistedAttackers.count, honestPeersReached: badReached.count)
        return GossipReport(
            traceHash: trace.hex, events: events, messages: origins.count,
            expectedDeliveries: expected, deliveries: got,
            deliveryRatio: expected == 0 ? 1 : Double(got) / Double(expected),
            partitionDeliveryRatio: partitionExpected == 0 ? nil : Double(partitionGot) / Double(partitionExpected),
            latencyMilliseconds: Percentiles(latencies),
            copiesMean: copyCounts.isEmpty ? 0 : copyCounts.reduce(0, +) / Double(copyCounts.count),
            copies: Percentiles(copyCounts), convergenceSeconds: Percentiles(convergence), unconverged: unconverged,
            frames: totalFrames, bytes: totalBytes, linksOpened: network.opened,
            adversaries: adversaries, violations: violations, timeline: samples)
    }
}
