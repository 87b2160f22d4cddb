import VeectorWire

extension GossipNode {
    /// A session opened: refuse it if graylisted, to ourselves or over `maxPeers`; otherwise tell
    /// the peer our topics.
    mutating func linkUp(_ peer: GossipPeer, now: Instant, into out: inout [GossipAction]) {
        guard peers[peer] == nil else { return }
        if peer == identity { out.append(.disconnect(peer, reason: .selfLink)); return }
        if isGraylisted(peer, now: now) { out.append(.disconnect(peer, reason: .graylisted)); return }
        guard peers.count < configuration.maxPeers else { out.append(.disconnect(peer, reason: .tooManyPeers)); return }
        peers[peer] = PeerState()
        dials[peer]?.dialedAt = nil
        if !subscriptions.isEmpty {
            for chunk in chunks(subscriptions.sorted(), of: GossipLimits.maxTopicsPerFrame) {
                send(.subscribe(chunk), to: peer, into: &out)
            }
        }
    }

    /// Drops everything known about `peer` (its link closed or we closed it).
    mutating func forget(_ peer: GossipPeer) {
        guard let state = peers.removeValue(forKey: peer) else { return }
        for topic in state.topics { eager[topic]?.remove(peer); lazy[topic]?.remove(peer) }
    }

    /// `peer` follows `topic` now: if we do too, it joins the topic's mesh (eager while there is
    /// room, lazy after) and hears of our recent messages on it (lazy pull of history).
    mutating func peerJoined(_ topic: GossipTopic, peer: GossipPeer, into out: inout [GossipAction]) {
        guard let index = peers.index(forKey: peer), !peers.values[index].topics.contains(topic),
              peers.values[index].topics.count < configuration.maxPeerTopics else { return }
        peers.values[index].topics.insert(topic)
        guard subscriptions.contains(topic) else { return }
        addToMesh(topic, peer: peer)
        // Lazy from the start (our eager set is full): say so, so the peer does not push to us eagerly
        // while we only expect announcements (the eager graph stays symmetric).
        if lazy[topic]?.contains(peer) == true {
            counters.prunesOut += 1
            send(.prune(topic), to: peer, into: &out)
        }
        let history = store.recentIDs(topic: topic, limit: configuration.historyAnnounced)
        for chunk in chunks(history, of: GossipLimits.maxIDsPerFrame) { send(.ihave(topic, chunk), to: peer, into: &out) }
    }

    /// Puts `peer` in `topic`'s eager set if it has room, else in the lazy set.
    mutating func addToMesh(_ topic: GossipTopic, peer: GossipPeer) {
        if (eager[topic]?.count ?? 0) < configuration.maxEagerPeers {
            eager[topic, default: []].insert(peer)
        } else {
            lazy[topic, default: []].insert(peer)
        }
    }

    /// `peer` no longer follows `topic`.
    mutating func peerLeft(_ topic: GossipTopic, peer: GossipPeer) {
        peers[peer]?.topics.remove(topic)
        eager[topic]?.remove(peer)
        lazy[topic]?.remove(peer)
    }

    /// Moves `peer` to `topic`'s eager set (it sent us a message first, or grafted).
    mutating func makeEager(_ topic: GossipTopic, peer: GossipPeer) {
        guard subscriptions.contains(topic), peers[peer]?.topics.contains(topic) == true else { return }
        lazy[topic]?.remove(peer)
        eager[topic, default: []].insert(peer)
    }

    /// Moves `peer` to `topic`'s lazy set (it pruned us, or sent a duplicate).
    mutating func makeLazy(_ topic: GossipTopic, peer: GossipPeer) {
        guard eager[topic]?.remove(peer) != nil else { return }
        lazy[topic, default: []].insert(peer)
    }
}

/// `items` cut into consecutive pieces of at most `size`.
func chunks<T>(_ items: [T], of size: Int) -> [[T]] {
    stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
}
