import VeectorTransfer
import VeectorWire

extension TransferSimulation {
    /// True if `a` and `b` can reach each other now (both running, same side of any partition).
    func reachable(_ a: Int, _ b: Int) -> Bool {
        peers[a].isRunning && peers[b].isRunning && (!partitioned || group[a] == group[b])
            && !peers[a].refused.contains(b) && !peers[b].refused.contains(a)
    }

    /// `i` asked for a session to `j`: an open one is reported at once; otherwise it opens after one
    /// round trip if `j` is reachable (an unreachable peer is a silent connect timeout).
    func open(_ i: Int, _ j: Int) {
        let key = LinkKey(i, j)
        guard i != j, !pendingOpens.contains(key) else { return }
        if links[key] != nil {
            for cid in peers[i].fetches.keys.sorted() {
                queue.schedule(.fetchEvent(peer: i, cid, .linkUp(peers[j].key), incarnation: peers[i].incarnation), at: now)
            }
            return
        }
        guard reachable(i, j) else { return }
        pendingOpens.insert(key)
        queue.schedule(.linkOpen(key.a, key.b), at: now.advanced(by: linkDelay(i, j) * 2))
    }

    /// The handshake finished: both ends' fetches hear `linkUp` (those not connecting ignore it).
    func finishOpen(_ a: Int, _ b: Int) {
        let key = LinkKey(a, b)
        pendingOpens.remove(key)
        guard links[key] == nil, reachable(a, b) else { return }
        links[key] = GossipLink(epoch: nextEpoch)
        nextEpoch += 1
        linksOf[a].insert(b)
        linksOf[b].insert(a)
        for (x, y) in [(a, b), (b, a)] {
            for cid in peers[x].fetches.keys.sorted() { feed(x, cid, .linkUp(peers[y].key)) }
        }
    }

    /// Closes the session between `i` and `j` (if open): every core at both ends hears of it.
    func close(_ i: Int, _ j: Int) {
        guard links.removeValue(forKey: LinkKey(i, j)) != nil else { return }
        linksOf[i].remove(j)
        linksOf[j].remove(i)
        trace.add(now.nanoseconds); trace.add(0xD0D0); trace.add(UInt64(min(i, j))); trace.add(UInt64(max(i, j)))
        for (x, y) in [(i, j), (j, i)] {
            feedProvider(x, .linkDown(peers[y].key))
            for cid in peers[x].fetches.keys.sorted() { feed(x, cid, .linkDown(peers[y].key)) }
        }
    }

    /// Puts one message on the `i`→`j` stream: it leaves when `i`'s uplink is free, arrives after
    /// the link's delay (plus a round trip when the network loses a packet of it) and never before
    /// the previous message on the same stream. A provider's send completes when it leaves.
    func transmit(_ bytes: [UInt8], from i: Int, to j: Int, completes: Bool = false) {
        let key = LinkKey(i, j)
        guard var link = links[key] else { return }   // closed under the sender: lost with the session
        var departure = max(now, peers[i].uplinkFreeAt)
        if peers[i].uplink > 0 {
            departure = departure.advanced(by: .nanoseconds(Int64(Double(bytes.count) * 1e9 / peers[i].uplink)))
            peers[i].uplinkFreeAt = departure
        }
        var delay = linkDelay(i, j) + jitter()
        let packets = max(1, bytes.count / 1_400)
        let loss = scenario.network.loss
        if loss > 0, jitterRandom.chance(1 - pow1(1 - loss, packets)) { delay += linkDelay(i, j) * 2 }
        let direction = i < j ? 0 : 1
        let arrival = max(departure.advanced(by: delay), link.lastArrival[direction])
        link.lastArrival[direction] = arrival
        links[key] = link
        if !TransferMessage.isRequest(bytes) { peers[i].bytesUp += bytes.count }
        queue.schedule(.message(to: j, from: i, epoch: link.epoch, bytes: bytes), at: arrival)
        if completes { queue.schedule(.sent(by: i, to: j, epoch: link.epoch), at: departure) }
    }

    /// A message reached `to`: requests go to its provider, answers to its fetch of that content.
    func arrive(_ bytes: [UInt8], to: Int, from: Int, epoch: Int) {
        guard links[LinkKey(to, from)]?.epoch == epoch else { return }
        if TransferMessage.isRequest(bytes) {
            feedProvider(to, .received(from: peers[from].key, bytes: bytes))
            return
        }
        peers[to].bytesDown += bytes.count
        guard let cid = TransferMessage.content(of: bytes), peers[to].fetches[cid] != nil else { return }
        feed(to, cid, .received(from: peers[from].key, bytes: bytes))
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

/// `x` to the power `n` (n ≥ 0), without Foundation.
func pow1(_ x: Double, _ n: Int) -> Double {
    var result = 1.0, base = x, k = n
    while k > 0 {
        if k & 1 == 1 { result *= base }
        base *= base
        k >>= 1
    }
    return result
}
