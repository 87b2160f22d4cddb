import VeectorCrypto
import VeectorDHT
import VeectorWire

/// One simulated peer: the real `DHTNode` core plus what the simulator knows about it.
struct SimPeer {
    /// Index in the run (also picks the address).
    let index: Int
    /// Where it is reached.
    let address: PeerAddress
    /// Its node ID (kept across restarts).
    var id: NodeID
    /// The protocol core; nil until the peer joins, and while it is down.
    var node: DHTNode?
    /// The peer's own random stream (the core's injected randomness).
    var rng: SimRandom
    /// Honest, or what kind of attacker.
    var adversary: AdversaryKind?
    /// What survives a crash: the snapshot the node would have on disk.
    var storedSnapshot: [UInt8]?
    /// Bumped at every restart, so timers from an earlier life are ignored.
    var incarnation = 0
    /// Crashed (and may restart), as opposed to never started or gone for good.
    var crashed = false
    /// Left for good.
    var left = false
    /// Messages sent while adversarial (the extra traffic attackers cause).
    var adversaryMessages = 0
    /// Signed item versions seen by a replaying attacker, to send again later.
    var captured: [MutableItem] = []
    /// Write tokens an attacker obtained, by the address that issued them.
    var tokens: [PeerAddress: [UInt8]] = [:]
    /// Time between an active attacker's actions.
    var rateInterval: Duration = .seconds(1)

    var isHonest: Bool { adversary == nil }
    var isRunning: Bool { node != nil }
}

/// A signed record some honest peer publishes (its endpoint record in the real node).
struct PublishedRecord {
    /// The publishing peer.
    let owner: Int
    /// The owner's signing key.
    let keyPair: SigningKeyPair
    /// BEP 44 salt.
    let salt: [UInt8]
    /// Where it lives.
    let target: NodeID
    /// Every (seq, value) the owner ever signed, to tell genuine versions from forged ones.
    var versions: [Int64: BencodeValue]
    /// The newest seq.
    var seq: Int64
    /// When it was first published.
    let publishedAt: Instant
}

/// An info-hash some honest peer announced itself for.
struct Announcement {
    let owner: Int
    let infoHash: NodeID
    let announcedAt: Instant
}
