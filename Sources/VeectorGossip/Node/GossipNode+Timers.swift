import VeectorWire

extension GossipNode {
    /// A timer fired: ignore it unless its deadline has come and it is still needed.
    mutating func fire(_ timer: GossipTimer, now: Instant, rng: inout some RandomNumberGenerator,
                       into out: inout [GossipAction]) {
        switch timer {
        case .heartbeat:
            guard let due = nextHeartbeat, due <= now else { return }
            heartbeat(now: now, rng: &rng, into: &out)
            let next = now.advanced(by: configuration.heartbeatInterval)
            nextHeartbeat = next
            out.append(.setTimer(.heartbeat, at: next))
        case .lazyFlush:
            guard lazyFlushArmed else { return }
            flushAnnouncements(into: &out)
        case let .repair(id):
            repair(id, now: now, into: &out)
        }
    }

    /// The eager copy of `id` did not come: graft it from the next announcer still linked.
    mutating func repair(_ id: GossipMessageID, now: Instant, into out: inout [GossipAction]) {
        guard var m = missing[id], m.deadline <= now else { return }
        if seen.contains(id) { missing[id] = nil; return }
        while let peer = m.announcers.first {
            m.announcers.removeFirst()
            guard peers[peer] != nil else { continue }
            makeEager(m.topic, peer: peer)
            m.grafted = true
            counters.graftsOut += 1
            send(.graft(m.topic, [id]), to: peer, into: &out)
            m.deadline = now.advanced(by: configuration.repairRetry)
            missing[id] = m
            out.append(.setTimer(.repair(id), at: m.deadline))
            return
        }
        missing[id] = nil   // nobody left to ask; a later ihave starts over
    }

    /// Housekeeping: expire caches and the graylist, let negative scores recover, reset rate
    /// counters, redial lost links and dial candidates when below the target degree.
    mutating func heartbeat(now: Instant, rng: inout some RandomNumberGenerator, into out: inout [GossipAction]) {
        seen.expire(now: now)
        store.expire(now: now)
        decayEagerLag()
        if graylist.values.contains(where: { $0 <= now }) { graylist = graylist.filter { $0.value > now } }
        // Walks by index and mutates in place: iterating `peers.keys` while writing would copy the
        // whole table (and every peer's queue) on each heartbeat.
        let recovery = configuration.scoreRecovery
        var index = peers.startIndex
        while index != peers.endIndex {
            peers.values[index].inboundThisInterval = 0
            if peers.values[index].score < 0 { peers.values[index].score = min(0, peers.values[index].score + recovery) }
            peers.formIndex(after: &index)
        }
        maintainDegree(now: now, rng: &rng, into: &out)
    }
}
