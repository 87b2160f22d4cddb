import VeectorWire

/// Dialling (`Spec/gossip.md`, "Dialling"): which peers get a `connect`, and when. A candidate that
/// refused a link or never answered is dialled again only after a back-off that doubles per failure
/// (up to `maxDialBackoff`), so a node below its target degree moves on to other candidates — and
/// asks for fresh ones — instead of redialling full peers every heartbeat. A peer whose established
/// link broke without our doing is redialled on the same back-off for `reconnectWindow`, even at
/// the target degree: that re-forms the mesh across a healed partition and around restarted peers.
extension GossipNode {
    /// A session closed: forget the peer, and remember why for dialling. A link that carried
    /// frames is a lost link (redial it); one closed before the peer sent anything was refused
    /// (back off). A graylisted peer is neither.
    mutating func linkDown(_ peer: GossipPeer, now: Instant) {
        guard let state = peers[peer] else {
            // Never linked here: a dial of ours that the other end refused before we saw `linkUp`.
            if dials[peer]?.dialedAt != nil { dialFailed(peer, now: now) }
            return
        }
        forget(peer)
        guard !isGraylisted(peer, now: now) else { dials[peer] = nil; return }
        if state.heardFrom {
            dials[peer] = DialState(notBefore: now.advanced(by: configuration.dialBackoff),
                                    reconnectUntil: now.advanced(by: configuration.reconnectWindow))
        } else {
            dialFailed(peer, now: now)
        }
    }

    /// A dial of `peer` failed or was refused: back off, twice as long as last time.
    mutating func dialFailed(_ peer: GossipPeer, now: Instant) {
        var d = dials[peer] ?? DialState(notBefore: now)
        d.failures += 1
        d.dialedAt = nil
        let base = configuration.dialBackoff.nanosecondCount
        let wait = min(base << Int64(min(d.failures - 1, 20)), configuration.maxDialBackoff.nanosecondCount)
        d.notBefore = now.advanced(by: .nanoseconds(wait))
        dials[peer] = d
        dialStreak += 1
        if dialStreak >= configuration.targetPeers {
            let rounds = Int64(min(dialStreak / max(configuration.targetPeers, 1) - 1, 20))
            let pause = min(base << rounds, configuration.maxDialBackoff.nanosecondCount)
            nextDialAt = max(nextDialAt, now.advanced(by: .nanoseconds(pause)))
        }
    }

    /// Heartbeat part: time out dials, redial lost links (while below `maxPeers`), then dial random
    /// due candidates up to `targetPeers` (dials in flight count), and ask for peers for the rest.
    mutating func maintainDegree(now: Instant, rng: inout some RandomNumberGenerator, into out: inout [GossipAction]) {
        var inFlight = 0
        // Each loop visits, in key order, only the entries it acts on (sorting the whole table every
        // heartbeat was most of a heartbeat's cost); acting on one entry never changes another.
        for peer in dials.compactMap({ $0.value.dialedAt == nil ? nil : $0.key }).sorted() {
            guard let sent = dials[peer]!.dialedAt else { continue }
            if peers[peer] != nil {
                dials[peer]!.dialedAt = nil
            } else if sent.advanced(by: configuration.dialTimeout) <= now {
                dialFailed(peer, now: now)
            } else {
                inFlight += 1
            }
        }
        // Lost links first: they are what joins this node's part of the mesh to the rest.
        for peer in dials.compactMap({ $0.value.reconnectUntil == nil ? nil : $0.key }).sorted() {
            guard let until = dials[peer]!.reconnectUntil else { continue }
            if until <= now || isGraylisted(peer, now: now) { dials[peer]!.reconnectUntil = nil; continue }
            guard peers[peer] == nil, dials[peer]!.isDue(now), peers.count + inFlight < configuration.maxPeers else { continue }
            dial(peer, now: now, into: &out)
            inFlight += 1
        }
        // Forget settled entries of peers that are no longer candidates (the table stays bounded).
        if dials.count > candidates.count + configuration.maxPeers {
            dials = dials.filter { $0.value.dialedAt != nil || $0.value.reconnectUntil != nil || candidates.contains($0.key) }
        }
        var deficit = configuration.targetPeers - peers.count - inFlight
        guard deficit > 0, now >= nextDialAt else { return }
        if dialStreak >= configuration.targetPeers { deficit = min(deficit, 1) }   // refused everywhere: one at a time
        var pool = candidates.filter {
            peers[$0] == nil && $0 != identity && !isGraylisted($0, now: now) && (dials[$0].map { $0.isDue(now) } ?? true)
        }.sorted()
        while deficit > 0, !pool.isEmpty {
            dial(pool.remove(at: Int(rng.next() % UInt64(pool.count))), now: now, into: &out)
            deficit -= 1
        }
        if deficit > 0, lastPeerRequest.map({ now >= $0.advanced(by: configuration.peerRequestInterval) }) ?? true {
            lastPeerRequest = now
            out.append(.requestPeers(count: deficit))
        }
    }

    /// Hands a `connect` for `peer` to the driver and remembers it is in flight.
    mutating func dial(_ peer: GossipPeer, now: Instant, into out: inout [GossipAction]) {
        dials[peer, default: DialState(notBefore: now)].dialedAt = now
        out.append(.connect(peer))
    }
}
