import VeectorGossip
import VeectorWire

extension GossipSimulation {
    /// True for the encoding of a full-message frame (`{e: …, v: 1, y: "m"}` starts `d1:ed`).
    func isMessageFrame(_ bytes: [UInt8]) -> Bool {
        bytes.count > 5 && bytes[0] == 0x64 && bytes[1] == 0x31 && bytes[2] == 0x3A && bytes[3] == 0x65 && bytes[4] == 0x64
    }

    /// A full message peer `i`'s core is sending: its ID, and (invariant) an honest peer only ever
    /// sends messages that were genuinely published.
    /// A relayed message is the same frame bytes at every hop, so each distinct frame is decoded
    /// once (`frameIDs`) and the check — made at every send — looks its ID up.
    func checkOutgoing(_ bytes: [UInt8], from i: Int) -> GossipMessageID? {
        let id: GossipMessageID
        let key = ByteKey(bytes)
        if let known = frameIDs[key] {
            id = known
        } else {
            guard case let .message(envelope)? = try? GossipFrame(decoding: bytes) else { return nil }
            id = envelope.id
            frameIDs[key] = id
        }
        if peers[i].isHonest, origins[id] == nil {
            badReached.insert(i)
            violate("honest peer \(i) forwarded message \(id) that nobody published")
        }
        return id
    }

    /// The core of peer `i` delivered `envelope`: record it, and (invariant) an honest peer only
    /// delivers genuinely published messages, once each.
    func delivered(_ envelope: GossipEnvelope, at i: Int) {
        trace.add(now.nanoseconds); trace.add(UInt64(i)); trace.add(envelope.id.digest)
        guard peers[i].isHonest else {
            if peers[i].captured.count < 32 { peers[i].captured.append(envelope) }
            return
        }
        guard origins[envelope.id] != nil else {
            badReached.insert(i)
            violate("honest peer \(i) delivered message \(envelope.id) that nobody published (author \(envelope.author))")
            return
        }
        if deliveredAt[envelope.id]?[i] != nil {
            violate("honest peer \(i) delivered message \(envelope.id) twice")
        }
        deliveredAt[envelope.id, default: [:]][i] = now
        honestDeliveries += 1
    }

    /// Records a violated invariant with the time and the seed that reproduces it.
    func violate(_ what: String) {
        violations.append("at \(now): \(what) (seed \(scenario.seed))")
    }

    /// The honest peers expected to hold message `id` at the end: honest, running, alive since
    /// before it was published, and not its author.
    func expectedHolders(_ origin: GossipOrigin) -> [Int] {
        peers.indices.filter {
            $0 != origin.author && peers[$0].isHonest && peers[$0].isRunning && peers[$0].startedAt <= origin.time
        }
    }

    /// End-of-run invariant: every honest peer connected (over honest links) to a peer that has a
    /// message got it, for messages published outside partitions at least a minute before the end.
    func checkConvergence() {
        var parent = Array(peers.indices)
        func root(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { parent[r] = parent[parent[r]]; r = parent[r] }
            return r
        }
        for key in network.links.keys where peers[key.a].isHonest && peers[key.b].isHonest {
            let ra = root(key.a), rb = root(key.b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        let cutoff = now.nanoseconds >= 60_000_000_000 ? Instant(nanoseconds: now.nanoseconds - 60_000_000_000) : .zero
        var missed = 0, example = ""
        for (id, origin) in origins.sorted(by: { $0.value.time < $1.value.time || ($0.value.time == $1.value.time && $0.key < $1.key) })
        where origin.time <= cutoff && !origin.duringPartition {
            let holders = deliveredAt[id] ?? [:]
            var components = Set(holders.keys.filter { peers[$0].isRunning }.map(root))
            if peers[origin.author].isRunning { components.insert(root(origin.author)) }
            for p in expectedHolders(origin) where holders[p] == nil && components.contains(root(p)) {
                missed += 1
                if example.isEmpty { example = "peer \(p) never got message \(id) published at \(origin.time) by peer \(origin.author)" }
            }
        }
        if missed > 0 { violate("\(missed) (peer, message) pairs never delivered though connected; e.g. \(example)") }
    }

    /// A point of the delivery-over-time line: deliveries so far over what full delivery would be.
    func sample() {
        let honestRunning = peers.indices.filter { peers[$0].isRunning && peers[$0].isHonest }.count
        let expected = origins.count * max(0, honestRunning - 1)
        samples.append(GossipReport.Point(seconds: Double(now.nanoseconds) / 1e9, published: origins.count,
                                          deliveredFraction: expected == 0 ? 0 : min(1, Double(honestDeliveries) / Double(expected))))
    }
}
