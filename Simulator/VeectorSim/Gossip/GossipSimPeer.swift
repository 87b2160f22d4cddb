import VeectorCrypto
import VeectorGossip
import VeectorWire

/// One simulated gossip peer: the real `GossipNode` core plus what the simulator knows about it.
struct GossipSimPeer {
    /// Index in the run.
    let index: Int
    /// Its signing identity (kept across restarts).
    let keys: SigningKeyPair
    /// Its key as a gossip peer.
    let identity: GossipPeer
    /// The protocol core; nil until the peer joins, and while it is down.
    var node: GossipNode?
    /// The core's injected randomness.
    var rng: SimRandom
    /// Honest, or what kind of attacker.
    var adversary: GossipAdversaryKind?
    /// Bad frames per second while adversarial.
    var rate = 10
    /// Bumped at every start, so timers from an earlier life are ignored.
    var incarnation = 0
    /// When the current life began.
    var startedAt: Instant = .zero
    /// Crashed (and may restart).
    var crashed = false
    /// Left for good.
    var left = false
    /// When its uplink is free again (frames serialise on it).
    var uplinkFreeAt: Instant = .zero
    /// Genuine envelopes an attacker received, to replay with alterations.
    var captured: [GossipEnvelope] = []

    var isHonest: Bool { adversary == nil }
    /// True while the peer's core runs (kept beside `node`: reading it never copies the core).
    var isRunning = false
}

/// A genuine message: who published it and when.
struct GossipOrigin {
    let author: Int
    let time: Instant
    let duringPartition: Bool
}
