import VeectorWire

extension GossipNode {
    /// Lowers `peer`'s score for a dropped frame; at or below the threshold the peer is
    /// disconnected and graylisted.
    mutating func penalize(_ peer: GossipPeer, _ reason: GossipRejection, by amount: Int, now: Instant,
                           into out: inout [GossipAction]) {
        counters.rejections[reason, default: 0] += 1
        guard let index = peers.index(forKey: peer) else { return }
        peers.values[index].score -= amount
        let score = peers.values[index].score
        guard score <= configuration.disconnectThreshold else { return }
        let until = now.advanced(by: configuration.graylistDuration)
        graylist[peer] = until
        counters.offendersDisconnected += 1
        forget(peer)
        for id in missing.keys { missing[id]?.announcers.removeAll { $0 == peer } }
        out.append(.disconnect(peer, reason: .misbehaving(score: score)))
        out.append(.graylist(peer, until: until))
    }

    /// Raises `peer`'s score for relaying a new valid message first, up to the cap.
    mutating func reward(_ peer: GossipPeer) {
        guard let index = peers.index(forKey: peer) else { return }
        peers.values[index].score = min(configuration.maxScore, peers.values[index].score + configuration.deliveryReward)
    }
}
