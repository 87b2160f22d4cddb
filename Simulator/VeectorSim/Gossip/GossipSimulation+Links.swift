import VeectorGossip
import VeectorWire

extension GossipSimulation {
    /// True if `a` and `b` can reach each other now (both running, same side of any partition).
    func reachable(_ a: Int, _ b: Int) -> Bool {
        peers[a].isRunning && peers[b].isRunning && network.sameSide(a, b)
    }

    /// `i` asked to connect to `j`: the session opens after one round trip if `j` is reachable
    /// then (an unreachable peer is a silent connect timeout, as on the Internet).
    func open(_ i: Int, _ j: Int) {
        guard i != j, network.epoch(i, j) == nil, !network.isOpening(i, j), reachable(i, j) else { return }
        let key = LinkKey(i, j)
        queue.schedule(.linkOpen(key.a, key.b), at: network.dial(i, j, now: now))
    }

    /// The handshake finished: both cores hear `linkUp` (either may refuse with `disconnect`).
    func finishOpen(_ a: Int, _ b: Int) {
        network.endDial(a, b)
        guard network.epoch(a, b) == nil, reachable(a, b) else { return }
        network.establish(a, b)
        feed(a, .linkUp(peers[b].identity))
        if network.epoch(a, b) != nil { feed(b, .linkUp(peers[a].identity)) }
    }

    /// Closes the session between `i` and `j` (if open): both running ends hear `linkDown`.
    func close(_ i: Int, _ j: Int) {
        guard network.remove(i, j) else { return }
        trace.add(now.nanoseconds); trace.add(0xD0D0); trace.add(UInt64(min(i, j))); trace.add(UInt64(max(i, j)))
        feed(i, .linkDown(peers[j].identity))
        feed(j, .linkDown(peers[i].identity))
    }

    /// Closes every link of `i`.
    func closeAll(_ i: Int) {
        for j in network.linksOf[i].sorted() { close(i, j) }
    }

    /// Puts one frame on the `i`→`j` stream: it leaves when `i`'s uplink is free, arrives after the
    /// link's delay and never before the previous frame on the same stream.
    func transmit(_ bytes: [UInt8], from i: Int, to j: Int, id: GossipMessageID?) {
        guard network.epoch(i, j) != nil else { return }   // closed under the sender: lost with the session
        totalFrames += 1
        totalBytes += bytes.count
        var departure = max(now, peers[i].uplinkFreeAt)
        let uplink = scenario.network.uplinkBytesPerSecond
        if uplink > 0 {
            departure = departure.advanced(by: .nanoseconds(Int64(bytes.count) * 1_000_000_000 / Int64(uplink)))
            peers[i].uplinkFreeAt = departure
        }
        guard let (arrival, epoch) = network.send(from: i, to: j, departure: departure) else { return }
        queue.schedule(.frame(to: j, from: i, epoch: epoch, bytes: bytes, id: id), at: arrival)
    }

    /// A frame reached `to`: its core reads it, then the sender hears `sendCompleted`.
    func arrive(_ bytes: [UInt8], to: Int, from: Int, epoch: Int, id: GossipMessageID?) {
        guard network.epoch(to, from) == epoch else { return }
        if let id, peers[to].isHonest { copies[id, default: [:]][to, default: 0] += 1 }
        feed(to, .received(from: peers[from].identity, bytes: bytes))
        if network.epoch(to, from) == epoch { feed(from, .sendCompleted(to: peers[to].identity)) }
    }
}
