import ContentID
import VeectorWire

extension TransferCore {
    /// Requests missing chunks, lowest index first, each from the provider expected to deliver it
    /// soonest (its queue, throughput, latency and `busy` back-off). When that provider's window
    /// is full the chunk waits for it rather than going to a slower one. Once every missing chunk
    /// is in flight, idle providers that would beat the current holder get a second copy (endgame).
    mutating func schedule(now: Instant, into out: inout [TransferAction]) {
        switchManifest(now: now, into: &out)
        guard phase == .running, let m = manifest else { return }
        let ready = activePeers.filter { peers[$0]!.busyUntil <= now }
        guard !ready.isEmpty else { return }
        var wants: [TransferPeer: [Int]] = [:]
        var index = firstMissing
        var advancing = true
        var unassignedLeft = false
        while index < m.chunks.count {
            defer { index += 1 }
            if held[index] || assigned[index] != nil {
                if advancing { firstMissing = index + 1 }
                continue
            }
            advancing = false
            unassignedLeft = true
            let size = m.chunks[index].size
            guard let best = bestPeer(for: index, size: size, among: ready, now: now) else { continue }
            guard peers[best]!.inflight.count < configuration.maxWindow else { break }
            request(index, from: best, size: size, now: now, wants: &wants)
        }
        if !unassignedLeft { endgame(m, ready: ready, now: now, wants: &wants) }
        for peer in wants.keys.sorted() {
            let list = wants[peer]!
            for start in stride(from: 0, to: list.count, by: TransferLimits.maxIndicesPerMessage) {
                send(.want(request.content, Array(list[start ..< min(list.count, start + TransferLimits.maxIndicesPerMessage)])), to: peer, into: &out)
            }
        }
    }

    /// The provider among `ready` expected to deliver chunk `index` soonest. Peers excluded for
    /// this chunk are used only when nobody else holds it.
    func bestPeer(for index: Int, size: Int, among ready: [TransferPeer], now: Instant) -> TransferPeer? {
        let holders = ready.filter { peers[$0]!.holds(index) }
        let skip = excluded[index] ?? []
        let preferred = holders.filter { !skip.contains($0) }
        let pool = preferred.isEmpty ? holders : preferred
        var best: TransferPeer?
        var bestWait = Double.infinity
        for peer in pool {
            let wait = peers[peer]!.expectedWait(size: size, now: now)
            if wait < bestWait { best = peer; bestWait = wait }
        }
        return best
    }

    /// Records a request of chunk `index` from `peer` with its deadline.
    mutating func request(_ index: Int, from peer: TransferPeer, size: Int, now: Instant, wants: inout [TransferPeer: [Int]]) {
        let wait = peers[peer]!.expectedWait(size: size, now: now)
        let timeout = min(max(wait * configuration.timeoutFactor, configuration.minRequestTimeout.seconds),
                          configuration.maxRequestTimeout.seconds)
        peers[peer]!.inflight[index] = now
        peers[peer]!.deadlines[index] = now.advanced(by: .seconds(double: timeout))
        assigned[index, default: []].append(peer)
        wants[peer, default: []].append(index)
        counters.chunksRequested += 1
    }

    /// Every missing chunk is in flight: a provider with a free window slot asks for a chunk whose
    /// holders are expected to deliver later than it would (at most `endgameCopies` copies).
    mutating func endgame(_ m: TransferManifest, ready: [TransferPeer], now: Instant, wants: inout [TransferPeer: [Int]]) {
        guard configuration.endgameCopies > 1 else { return }
        let missing = assigned.keys.sorted()
        for peer in ready {
            for index in missing {
                guard peers[peer]!.inflight.count < configuration.maxWindow else { break }
                let holders = assigned[index] ?? []
                guard holders.count < configuration.endgameCopies, !holders.contains(peer), peers[peer]!.holds(index),
                      !(excluded[index]?.contains(peer) ?? false) else { continue }
                let size = m.chunks[index].size
                let mine = peers[peer]!.expectedWait(size: size, now: now)
                let theirs = holders.map { remainingWait(of: $0, index: index, size: size, now: now) }.min() ?? .infinity
                if mine < theirs { request(index, from: peer, size: size, now: now, wants: &wants) }
            }
        }
    }

    /// Expected seconds until chunk `index`, already requested from `peer`, arrives.
    func remainingWait(of peer: TransferPeer, index: Int, size: Int, now: Instant) -> Double {
        let p = peers[peer]!
        let ahead = p.inflight.values.filter { $0 <= (p.inflight[index] ?? now) }.count
        let sent = p.inflight[index] ?? now
        let elapsed = now.duration(since: sent).seconds
        return max(0, p.latency + Double(ahead) * Double(size) / max(p.throughput, 1) - elapsed)
    }
}
