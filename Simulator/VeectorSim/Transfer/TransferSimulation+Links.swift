import VeectorTransfer
import VeectorWire

extension TransferSimulation {
    /// True if `a` and `b` can reach each other now (both running, same side of any partition).
    func reachable(_ a: Int, _ b: Int) -> Bool {
        peers[a].isRunning && peers[b].isRunning && network.sameSide(a, b)
            && !peers[a].refused.contains(b) && !peers[b].refused.contains(a)
    }

    /// `i` asked for a session to `j`: an open one is reported at once; otherwise it opens after one
    /// round trip if `j` is reachable (an unreachable peer is a silent connect timeout).
    func open(_ i: Int, _ j: Int) {
        guard i != j, !network.isOpening(i, j) else { return }
        if network.epoch(i, j) != nil {
            for cid in peers[i].fetches.keys.sorted() {
                queue.schedule(.fetchEvent(peer: i, cid, .linkUp(peers[j].key), incarnation: peers[i].incarnation), at: now)
            }
            return
        }
        guard reachable(i, j) else { return }
        let key = LinkKey(i, j)
        queue.schedule(.linkOpen(key.a, key.b), at: network.dial(i, j, now: now))
    }

    /// The handshake finished: both ends' fetches hear `linkUp` (those not connecting ignore it).
    func finishOpen(_ a: Int, _ b: Int) {
        network.endDial(a, b)
        guard network.epoch(a, b) == nil, reachable(a, b) else { return }
        network.establish(a, b)
        for (x, y) in [(a, b), (b, a)] {
            for cid in peers[x].fetches.keys.sorted() { feed(x, cid, .linkUp(peers[y].key)) }
        }
    }

    /// Closes the session between `i` and `j` (if open): every core at both ends hears of it.
    func close(_ i: Int, _ j: Int) {
        guard network.remove(i, j) else { return }
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
        guard network.epoch(i, j) != nil else { return }   // closed under the sender: lost with the session
        var departure = max(now, peers[i].uplinkFreeAt)
        if peers[i].uplink > 0 {
            departure = departure.advanced(by: .nanoseconds(Int64(Double(bytes.count) * 1e9 / peers[i].uplink)))
            peers[i].uplinkFreeAt = departure
        }
        let packets = max(1, bytes.count / 1_400)
        guard let (arrival, epoch) = network.send(from: i, to: j, departure: departure, packets: packets) else { return }
        if !TransferMessage.isRequest(bytes) { peers[i].bytesUp += bytes.count }
        queue.schedule(.message(to: j, from: i, epoch: epoch, bytes: bytes), at: arrival)
        if completes { queue.schedule(.sent(by: i, to: j, epoch: epoch), at: departure) }
    }

    /// A message reached `to`: requests go to its provider, answers to its fetch of that content.
    func arrive(_ bytes: [UInt8], to: Int, from: Int, epoch: Int) {
        guard network.epoch(to, from) == epoch else { return }
        if TransferMessage.isRequest(bytes) {
            feedProvider(to, .received(from: peers[from].key, bytes: bytes))
            return
        }
        peers[to].bytesDown += bytes.count
        guard let cid = TransferMessage.content(of: bytes), peers[to].fetches[cid] != nil else { return }
        feed(to, cid, .received(from: peers[from].key, bytes: bytes))
    }
}
