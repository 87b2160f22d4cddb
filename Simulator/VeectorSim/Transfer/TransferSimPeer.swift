import ContentID
import VeectorTransfer
import VeectorWire

/// One simulated transfer peer: a real `ProviderCore` serving its store, a real `TransferCore` per
/// content it is fetching, and what the simulator knows about it.
struct TransferSimPeer {
    /// Index in the run.
    let index: Int
    /// Its key as a transfer peer.
    let key: TransferPeer
    /// Its stored chunks (kept across crashes).
    let store: SimContentStore
    /// The serving core; nil while the peer is down.
    var provider: ProviderCore<SimContentStore>?
    /// The fetching cores, by content.
    var fetches: [CID: TransferCore] = [:]
    /// Content it was asked to fetch and has not finished: when it was asked.
    var wanted: [CID: Instant] = [:]
    /// For a fetch resumed after a crash: the chunk indices its store held when it resumed (it must
    /// never ask for or store one of them again).
    var heldAtResume: [CID: Set<Int>] = [:]
    /// The cores' injected randomness.
    var rng: SimRandom
    /// A `transfer-garbage` attacker.
    var adversary = false
    /// Bumped at every start, so timers from an earlier life are ignored.
    var incarnation = 0
    var crashed = false, left = false
    /// Uplink bytes per second (peers differ: a quarter to four times the scenario's uplink).
    let uplink: Double
    /// When its uplink is free again.
    var uplinkFreeAt: Instant = .zero
    /// Peers it refuses (it banned them).
    var refused: Set<Int> = []
    /// Bytes of chunk messages received and sent.
    var bytesDown = 0, bytesUp = 0

    var isRunning: Bool { provider != nil }
    var isHonest: Bool { !adversary }
}

/// Content shared in the run: its bytes (chunked) and manifest, who shared it and when.
struct SharedContent {
    let name: String
    let manifest: TransferManifest
    let chunks: [[UInt8]]
    let publisher: Int
    let time: Instant
}
