import VeectorWire

/// The peers announced to this node with `announce_peer`, per info-hash (for Veector: providers
/// of a content ID). Each announce lists the peer for `peerLifetime`; a re-announce renews it.
/// Bounded per info-hash and in total, evicting the least recently announced peer. The caller
/// checks the token and resolves `implied_port` (the UDP source port) before `announce`.
/// Times passed in must not go backwards (the driver's clock is monotonic).
public struct PeerStore: Sendable {
    /// The limits in force.
    public let configuration: PeerStoreConfiguration
    /// Per info-hash, peers in announce order (the oldest first) with their last announce time.
    private var swarms: [NodeID: [(peer: PeerAddress, announced: Instant)]] = [:]
    /// Peers kept over all info-hashes (expired ones included until swept).
    public private(set) var count = 0

    /// An empty store.
    public init(configuration: PeerStoreConfiguration = PeerStoreConfiguration()) {
        self.configuration = configuration
    }

    /// Number of info-hashes with at least one kept peer.
    public var infoHashCount: Int { swarms.count }

    /// Records that `peer` announced itself for `infoHash` at `now` (a repeat renews it),
    /// evicting the least recently announced peers if a limit is exceeded.
    public mutating func announce(_ peer: PeerAddress, for infoHash: NodeID, now: Instant) {
        var swarm = swarms[infoHash] ?? []
        if let i = swarm.firstIndex(where: { $0.peer == peer }) {
            swarm.remove(at: i)
            count -= 1
        }
        swarm.append((peer, now))
        count += 1
        let excess = swarm.count - configuration.maxPeersPerInfoHash
        if excess > 0 {
            swarm.removeFirst(excess)
            count -= excess
        }
        swarms[infoHash] = swarm
        if count > configuration.maxPeers {
            removeExpired(now: now)
        }
        while count > configuration.maxPeers, let oldest = swarms.min(by: { $0.value[0].announced < $1.value[0].announced })?.key {
            swarms[oldest]!.removeFirst()
            count -= 1
            if swarms[oldest]!.isEmpty { swarms[oldest] = nil }
        }
    }

    /// Up to `maxPeersReturned` unexpired peers of `infoHash` in random order.
    public func peers(for infoHash: NodeID, now: Instant, rng: inout some RandomNumberGenerator) -> [PeerAddress] {
        guard let swarm = swarms[infoHash] else { return [] }
        var live = swarm.filter { !isExpired($0.announced, now: now) }.map(\.peer)
        live.shuffle(using: &rng)
        return Array(live.prefix(configuration.maxPeersReturned))
    }

    /// Drops every peer whose announce is older than `peerLifetime`, and empty info-hashes.
    public mutating func removeExpired(now: Instant) {
        for (infoHash, swarm) in swarms {
            // Announce order is time order, so the expired peers are a prefix.
            let dead = swarm.prefix { isExpired($0.announced, now: now) }.count
            guard dead > 0 else { continue }
            count -= dead
            swarms[infoHash] = dead == swarm.count ? nil : Array(swarm.dropFirst(dead))
        }
    }

    private func isExpired(_ announced: Instant, now: Instant) -> Bool {
        now.duration(since: announced) >= configuration.peerLifetime
    }
}
