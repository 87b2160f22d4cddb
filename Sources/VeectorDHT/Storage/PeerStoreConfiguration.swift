import VeectorWire

/// Limits of a `PeerStore`.
public struct PeerStoreConfiguration: Hashable, Sendable {
    /// How long an announce keeps a peer listed (BEP 5 leaves it open; 30 minutes, as libtorrent).
    public var peerLifetime: Duration
    /// Most peers kept per info-hash; the least recently announced is evicted beyond it.
    public var maxPeersPerInfoHash: Int
    /// Most peers kept over all info-hashes; the least recently announced is evicted beyond it.
    public var maxPeers: Int
    /// Most peers one `get_peers` reply carries (50 compact peers fit a UDP datagram comfortably).
    public var maxPeersReturned: Int

    /// Makes a configuration; the defaults are 30 minutes, 100 per info-hash, 5000 in total, 50 returned.
    public init(peerLifetime: Duration = .seconds(30 * 60), maxPeersPerInfoHash: Int = 100, maxPeers: Int = 5000, maxPeersReturned: Int = 50) {
        precondition(maxPeersPerInfoHash > 0 && maxPeers > 0 && maxPeersReturned >= 0, "limits must be positive")
        self.peerLifetime = peerLifetime
        self.maxPeersPerInfoHash = maxPeersPerInfoHash
        self.maxPeers = maxPeers
        self.maxPeersReturned = maxPeersReturned
    }
}
