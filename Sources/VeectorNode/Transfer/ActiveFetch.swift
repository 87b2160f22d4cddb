import ContentID
import NIOCore
import VeectorTransfer
import VeectorWire

/// One fetch in progress inside `TransferDriver` (confined to its loop): the core, its timer, the
/// peers whose sessions it holds, and who waits for the outcome.
final class ActiveFetch {
    var core: TransferCore
    /// Store the verified whole with the aligned layout (model blocks and manifests).
    let aligned: Bool
    let started = NIODeadline.now()
    let resumedChunks: Int
    var timer: Scheduled<Void>?
    /// Providers with a session this fetch holds.
    var linked: Set<TransferPeer> = []
    /// Providers found so far.
    var found: Set<TransferPeer> = []
    /// A DHT lookup for more providers is under way.
    var searching = false
    /// The manifest was recorded in the fetch store.
    var recorded = false
    /// The verified whole, between `checkWhole` and `finished`.
    var whole: [UInt8]?
    var waiters: [EventLoopPromise<FetchStatus>] = []

    init(core: TransferCore, aligned: Bool, resumedChunks: Int) {
        self.core = core
        self.aligned = aligned
        self.resumedChunks = resumedChunks
    }

    /// The status as `transfer.status` reports it.
    func status(_ state: FetchStatus.State, error: String? = nil) -> FetchStatus {
        var s = FetchStatus(content: core.request.content.description, state: state)
        let p = core.progress
        s.bytesHeld = p.bytesHeld
        s.totalBytes = p.totalBytes
        s.chunksHeld = p.chunksHeld
        s.chunkCount = p.chunkCount
        s.activePeers = p.activePeers
        s.resumedChunks = resumedChunks
        s.providersFound = found.count
        let stats = core.stats
        s.chunksFrom = Dictionary(uniqueKeysWithValues: stats.chunksFrom.map { (Self.hex($0.key.publicKey), $0.value) })
        s.corruptChunks = stats.corruptChunks
        s.bannedPeers = core.bannedPeers.map { Self.hex($0.publicKey) }
        s.seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        s.error = error
        return s
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }
}
