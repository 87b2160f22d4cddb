import VeectorCrypto
import VeectorDHT
import VeectorWire

/// Results, invariants and the report.
extension DHTSimulation {
    /// A command finished: record what it achieved and check that nothing forged got through.
    func completed(_ id: DHTCommandID, _ result: DHTResult) {
        guard let pending = commands.removeValue(forKey: id) else { return }
        let latency = Duration.nanoseconds(Int64(now.nanoseconds - pending.issuedAt.nanoseconds))
        switch (pending.purpose, result) {
        case let (.bootstrap, .bootstrapped(report)) where report.answered > 0:
            metrics.bootstraps += 1
        case (.bootstrap, _):
            // As veenode does: a bootstrap nobody answered (a lost datagram) is retried after 5 s.
            metrics.bootstrapsFailed += 1
            queue.schedule(.join(peer: pending.peer, via: 0), at: now.advanced(by: .seconds(5)))
        case let (.publish, .stored(report)), let (.announce, .stored(report)):
            metrics.stores.append(report.stored)
        case let (.findItem(r), .item(item, lookup)):
            var ok = false
            if let item {
                if case let .mutable(m) = item, m.publicKey == records[r].keyPair.publicKey,
                   records[r].versions[m.seq] == m.value {
                    ok = true
                } else {
                    violations.append("t=\(now) peer \(pending.peer) accepted a forged or foreign item for record \(r): \(item)")
                }
            }
            metrics.lookups.append(.init(item: true, succeeded: ok, hops: lookup.hops, latency: latency, queries: lookup.queries,
                                         finishedAt: now, eclipsed: metrics.eclipsedKeys.contains(records[r].target)))
        case let (.findPeers(a), .peers(lookup)):
            let ok = lookup.peers.contains(peers[announcements[a].owner].address)
            metrics.lookups.append(.init(item: false, succeeded: ok, hops: lookup.hops, latency: latency, queries: lookup.queries,
                                         finishedAt: now, eclipsed: metrics.eclipsedKeys.contains(announcements[a].infoHash)))
        case (.findItem, _), (.findPeers, _):
            metrics.lookups.append(.init(item: { if case .findItem = pending.purpose { return true } else { return false } }(),
                                         succeeded: false, hops: 0, latency: latency, queries: 0, finishedAt: now, eclipsed: false))
        default:
            break
        }
    }

    /// Invariant: every record an honest peer stores is a genuine, signed version (never forged,
    /// never one the owner did not sign). Replays of genuine old versions are allowed by BEP 44 only
    /// when nothing newer is stored; a stored version older than one the same peer held is flagged.
    func checkStoredItems() {
        for i in peers.indices where peers[i].isHonest {
            guard let node = peers[i].node else { continue }
            for (r, record) in records.enumerated() {
                guard let stored = node.itemStore.item(for: record.target, now: now) else { continue }
                guard case let .mutable(m) = stored.item else { continue }
                if BEP44.rejection(of: .mutable(m)) != nil || record.versions[m.seq] != m.value {
                    violations.append("t=\(now) honest peer \(i) stores a forged version of record \(r) (seq \(m.seq))")
                    reachedHonest.insert(i)
                }
            }
        }
    }

    /// One point of the timeline, and a check of stored items.
    func sample() {
        let k = configuration.routing.bucketSize
        let honest = honestRunning()
        let full = min(k, max(0, honest.count - 1))
        var converged = 0
        var tableTotal = 0
        for i in honest {
            let size = peers[i].node?.routingTable.count ?? 0
            tableTotal += size
            if size >= full { converged += 1 }
        }
        let done = metrics.lookups.count
        let ok = metrics.lookups.reduce(0) { $0 + ($1.succeeded ? 1 : 0) }
        metrics.samples.append(.init(time: now, running: peers.reduce(0) { $0 + ($1.isRunning ? 1 : 0) },
                                     converged: converged, lookupsDone: done, lookupsSucceeded: ok,
                                     meanTableSize: honest.isEmpty ? 0 : Double(tableTotal) / Double(honest.count)))
        if !records.isEmpty, metrics.samples.count % 10 == 0 { checkStoredItems() }
    }

    /// Assembles the report.
    func makeReport() -> SimulationReport {
        let l = metrics.lookups
        let items = l.filter(\.item), peerLookups = l.filter { !$0.item }
        let eclipsed = l.filter(\.eclipsed)
        let succeeded = l.filter(\.succeeded)
        var rateLimited = 0, malformed = 0
        for p in peers where p.isHonest {
            if let s = p.node?.stats {
                rateLimited += s.droppedRateLimited
                malformed += s.droppedMalformed
            }
        }
        let adversaryMessages = peers.reduce(0) { $0 + $1.adversaryMessages }
        let honestCount = peers.filter(\.isHonest).count
        let convergence = metrics.samples.first { s in
            s.running > 1 && Double(s.converged) >= 0.99 * Double(max(1, honestRunningCount(at: s)))
                && s.time > .zero
        }
        _ = honestCount
        return SimulationReport(
            scenario: scenario.name, seed: scenario.seed, peers: scenario.peers,
            simulatedSeconds: Double(scenario.duration.nanosecondCount) / 1e9, events: eventsProcessed,
            traceHash: trace.hex,
            lookups: .init(finished: l.count, succeeded: succeeded.count,
                           successRate: l.isEmpty ? 0 : Double(succeeded.count) / Double(l.count),
                           itemLookups: items.count, itemSucceeded: items.filter(\.succeeded).count,
                           peerLookups: peerLookups.count, peerSucceeded: peerLookups.filter(\.succeeded).count,
                           hops: Percentiles(succeeded.map { Double($0.hops) }),
                           latencyMilliseconds: Percentiles(succeeded.map { Double($0.latency.nanosecondCount) / 1e6 }),
                           queries: Percentiles(l.map { Double($0.queries) }),
                           eclipsedFinished: eclipsed.count, eclipsedSucceeded: eclipsed.filter(\.succeeded).count),
            traffic: .init(datagrams: metrics.datagrams, bytes: metrics.bytes, delivered: network.delivered,
                           dropped: Dictionary(uniqueKeysWithValues: network.drops.map { ($0.key.rawValue, $0.value) }),
                           rateLimited: rateLimited, malformed: malformed),
            adversaries: .init(byKind: metrics.adversaries, messages: adversaryMessages,
                               trafficShare: metrics.bytes == 0 ? 0 : Double(metrics.adversaryBytes) / Double(metrics.bytes),
                               honestPeersReached: reachedHonest.count + violations.filter { $0.contains("accepted") }.count),
            convergenceSeconds: convergence.map { Double($0.time.nanoseconds) / 1e9 },
            runningPeers: peers.filter(\.isRunning).count, crashes: metrics.crashes, restarts: metrics.restarts,
            storeAcks: Percentiles(metrics.stores.map(Double.init)),
            gossip: nil,
            violations: violations,
            timeline: metrics.samples.map {
                .init(seconds: Double($0.time.nanoseconds) / 1e9, running: $0.running, converged: $0.converged,
                      lookupsDone: $0.lookupsDone, lookupsSucceeded: $0.lookupsSucceeded, meanTableSize: $0.meanTableSize)
            })
    }

    private func honestRunningCount(at sample: SimulationMetrics.Sample) -> Int {
        // The sample's own count of running peers includes attackers; attackers never count as converged,
        // so compare against the honest share.
        let attackers = peers.filter { !$0.isHonest && $0.isRunning }.count
        return max(1, sample.running - attackers)
    }
}
