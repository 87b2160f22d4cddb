import VeectorGossip
import VeectorWire

extension GossipSimulation {
    /// True if `a` and `b` can reach each other now (both running, same side of any partition).
    func reachable(_ a: Int, _ b: Int) -> Bool {
        peers[a].isRunning && peers[b].isRunning && (!partitioned || group[a] == group[b])
    }

    /// `i` asked to connect to `j`: the session opens after one round trip if `j` is reachable
    /// then (an unreachable peer is a silent connect timeout, as on the Internet).
    func open(_ i: Int, _ j: Int) {
        let key = LinkKey(i, j)
        guard i != j, links[key] == nil, !pendingOpens.contains(key), reachable(i, j) else { return }
        pendingOpens.insert(key)
        let rtt = linkDelay(i, j) * 2
        queue.schedule(.linkOpen(key.a, key.b), at: now.advanced(by: rtt))
    }

    /// The handshake finished: both cores hear `linkUp` (either may refuse with `disconnect`).
    func finishOpen(_ a: Int, _ b: Int) {
        let key = LinkKey(a, b)
        pendingOpens.remove(key)
        guard links[key] == nil, reachable(a, b) else { return }
        links[key] = GossipLink(epoch: nextEpoch)
        nextEpoch += 1
        linksOf[a].insert(b)
        linksOf[b].insert(a)
        feed(a, .linkUp(peers[b].identity))
        if links[key] != nil { feed(b, .linkUp(peers[a].identity)) }
    }

    /// Closes the session between `i` and `j` (if open): both running ends hear `linkDown`.
    func close(_ i: Int, _ j: Int) {
        guard links.removeValue(forKey: LinkKey(i, j)) != nil else { return }
        linksOf[i].remove(j)
        linksOf[j].remove(i)
        trace.add(now.nanoseconds); trace.add(0xD0D0); trace.add(UInt64(min(i, j))); trace.add(UInt64(max(i, j)))
        feed(i, .linkDown(peers[j].identity))
        feed(j, .linkDown(peers[i].identity))
    }

    /// Closes every link of `i`.
    func closeAll(_ i: Int) {
        for j in linksOf[i].sorted() { close(i, j) }
    }

    /// Puts one frame on the `i`→`j` stream: it leaves when `i`'s uplink is free, arrives after the
    /// link's delay and never before the previous frame on the same stream.
    func transmit(_ bytes: [UInt8], from i: Int, to j: Int, id: GossipMessageID?) {
        let key = LinkKey(i, j)
        guard var link = links[key] else { return }   // closed under the sender: lost with the session
        totalFrames += 1
        totalBytes += bytes.count
        var departure = max(now, peers[i].uplinkFreeAt)
        let uplink = scenario.network.uplinkBytesPerSecond
        if uplink > 0 {
            departure = departure.advanced(by: .nanoseconds(Int64(bytes.count) * 1_000_000_000 / Int64(uplink)))
            peers[i].uplinkFreeAt = departure
        }
        let direction = i < j ? 0 : 1
        let arrival = max(departure.advanced(by: linkDelay(i, j) + jitter()), link.lastArrival[direction])
        link.lastArrival[direction] = arrival
        links[key] = link
        queue.schedule(.frame(to: j, from: i, epoch: link.epoch, bytes: bytes, id: id), at: arrival)
    }

    /// A frame reached `to`: its core reads it, then the sender hears `sendCompleted`.
    func arrive(_ bytes: [UInt8], to: Int, from: Int, epoch: Int, id: GossipMessageID?) {
        let key = LinkKey(to, from)
        guard links[key]?.epoch == epoch else { return }
        if let id, peers[to].isHonest { copies[id, default: [:]][to, default: 0] += 1 }
        feed(to, .received(from: peers[from].identity, bytes: bytes))
        if links[key]?.epoch == epoch { feed(from, .sendCompleted(to: peers[to].identity)) }
    }

    /// The base one-way delay between two peers: fixed per pair, within the scenario's latency range.
    func linkDelay(_ a: Int, _ b: Int) -> Duration {
        var h = TraceHash()
        h.add(UInt64(min(a, b)))
        h.add(UInt64(max(a, b)))
        let lo = scenario.network.minimumLatency.nanosecondCount, hi = scenario.network.maximumLatency.nanosecondCount
        guard hi > lo else { return .nanoseconds(lo) }
        return .nanoseconds(lo + Int64(h.value % UInt64(hi - lo)))
    }

    /// Queueing jitter, uniform in [0, 2 × the scenario's mean jitter).
    func jitter() -> Duration {
        let mean = scenario.network.jitter.nanosecondCount
        guard mean > 0 else { return .zero }
        return .nanoseconds(Int64(jitterRandom.next() % UInt64(2 * mean)))
    }
}
