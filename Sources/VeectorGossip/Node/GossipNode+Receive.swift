import VeectorWire

extension GossipNode {
    /// One frame from `peer`: rate-limit, decode, then act on it. Anything invalid costs the peer
    /// score and goes no further.
    mutating func receive(_ bytes: [UInt8], from peer: GossipPeer, now: Instant, into out: inout [GossipAction]) {
        guard let index = peers.index(forKey: peer) else { return }   // not linked (or already disconnected)
        counters.framesIn += 1
        counters.bytesIn += bytes.count
        peers.values[index].inboundThisInterval += 1
        if !peers.values[index].heardFrom {
            peers.values[index].heardFrom = true
            dials[peer] = nil   // it accepted the link: no back-off, nothing to redial
            dialStreak = 0
            nextDialAt = .zero
        }
        if peers.values[index].inboundThisInterval > configuration.maxInboundFramesPerInterval {
            penalize(peer, .flooding, by: configuration.floodPenalty, now: now, into: &out)
            return
        }
        guard let frame = wireChecks.readFrame(bytes, configuration.maxFrameBytes) else {
            penalize(peer, .malformed, by: configuration.invalidPenalty, now: now, into: &out)
            return
        }
        switch frame {
        case let .message(envelope): receiveMessage(envelope, frame: bytes, from: peer, now: now, into: &out)
        case let .ihave(topic, ids): receiveIHave(topic, ids: ids, from: peer, now: now, into: &out)
        case let .graft(topic, ids):
            makeEager(topic, peer: peer)
            for id in ids { if let f = store.frame(id) { sendBytes(f, to: peer, into: &out) } }
        case let .prune(topic): makeLazy(topic, peer: peer)
        case let .subscribe(topics): for t in topics { peerJoined(t, peer: peer, into: &out) }
        case let .unsubscribe(topics): for t in topics { peerLeft(t, peer: peer) }
        }
    }

    /// A full message: a duplicate prunes the link it came over; a new one is validated, then
    /// delivered, stored and forwarded.
    mutating func receiveMessage(_ envelope: GossipEnvelope, frame: [UInt8], from peer: GossipPeer,
                                 now: Instant, into out: inout [GossipAction]) {
        counters.messagesIn += 1
        let topic = envelope.topic
        guard subscriptions.contains(topic) else { return }   // the peer's view of our topics is stale
        let id = envelope.id
        if seen.contains(id) {
            counters.duplicates += 1
            // The sender pushed it eagerly, so it counts us among its eager links even when we hold it
            // as lazy (our eager set was full when it joined): prune either way, or it pushes forever.
            if eager[topic]?.contains(peer) == true || lazy[topic]?.contains(peer) == true {
                makeLazy(topic, peer: peer)
                counters.prunesOut += 1
                send(.prune(topic), to: peer, into: &out)
            }
            return
        }
        if let rejection = check(envelope, now: now) {
            let penalty = rejection == .stale ? configuration.stalePenalty : configuration.invalidPenalty
            penalize(peer, rejection, by: penalty, now: now, into: &out)
            return
        }
        switch validator(envelope, peer) {
        case .accept: break
        case .ignore:
            seen.insert(id, now: now)
            missing[id] = nil
            return
        case .reject:
            penalize(peer, .applicationRejected, by: configuration.rejectPenalty, now: now, into: &out)
            return
        }
        seen.insert(id, now: now)
        if let m = missing.removeValue(forKey: id), !m.grafted { observeEagerLag(now.duration(since: m.announcedAt)) }
        store.insert(id, topic: topic, frame: frame, now: now)
        counters.delivered += 1
        out.append(.deliver(envelope))
        reward(peer)
        makeEager(topic, peer: peer)
        forward(id, topic: topic, frame: frame, author: envelope.author, except: peer, now: now, into: &out)
    }

    /// The core's own checks, cheapest first: size, payload hash, freshness, signature.
    func check(_ envelope: GossipEnvelope, now: Instant) -> GossipRejection? {
        if let inline = envelope.inlinePayload, inline.count > configuration.maxInlinePayload { return .payloadTooLarge }
        let wall = unixMillis(now)
        let maxAge = UInt64(max(0, configuration.maxMessageAge.nanosecondCount / 1_000_000))
        let skew = UInt64(max(0, configuration.maxClockSkew.nanosecondCount / 1_000_000))
        if envelope.timestamp > wall &+ skew || (wall > maxAge && envelope.timestamp < wall - maxAge) { return .stale }
        if !envelope.payloadMatchesCID { return .payloadMismatch }
        if !envelope.hasValidSignature(checkedBy: wireChecks) { return .badSignature }
        return nil
    }

    /// Announcements from a lazy link: remember who has what we lack, and arm a repair timer.
    mutating func receiveIHave(_ topic: GossipTopic, ids: [GossipMessageID], from peer: GossipPeer,
                               now: Instant, into out: inout [GossipAction]) {
        guard subscriptions.contains(topic) else { return }
        for id in ids where !seen.contains(id) {
            if var m = missing[id] {
                if m.announcers.count < configuration.maxAnnouncers, !m.announcers.contains(peer) {
                    m.announcers.append(peer)
                    missing[id] = m
                }
                continue
            }
            guard missing.count < configuration.maxMissing else { continue }
            let deadline = now.advanced(by: currentRepairTimeout)
            missing[id] = MissingMessage(topic: topic, announcers: [peer], deadline: deadline, announcedAt: now)
            out.append(.setTimer(.repair(id), at: deadline))
        }
    }
}
