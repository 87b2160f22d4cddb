import VeectorWire

/// What a `TransferCore` asks its driver to do, in the order returned.
public enum TransferAction: Hashable, Sendable {
    /// Open a session to this provider; answer with `linkUp` or `linkDown`.
    case connect(TransferPeer)
    /// Send one transfer message (one session message) to `peer`.
    case send(to: TransferPeer, bytes: [UInt8])
    /// The fetch no longer needs `peer`; when `reason.isMisbehaviour`, close the session and refuse
    /// the peer, otherwise close it unless something else uses it.
    case disconnect(TransferPeer, reason: TransferDropReason)
    /// Deliver `TransferEvent.timer(timer)` at `at` (setting it again replaces the deadline).
    case setTimer(TransferTimer, at: Instant)
    /// Chunk `index` arrived and matches its digest: store it (it need not be fetched again).
    case store(index: Int, bytes: [UInt8])
    /// Every chunk is held: hash the stored chunks in order and answer with `wholeChecked`.
    case checkWhole(TransferManifest)
    /// Fewer providers than the fetch could use: find more (DHT `get_peers`) and pass them with
    /// `addProviders`.
    case needProviders
    /// How far the fetch has come (after each verified chunk).
    case progress(TransferProgress)
    /// Done: the whole content is stored and verified against its CID.
    case finished(TransferManifest)
    /// Gave up; the reason says why.
    case failed(TransferFailure)
}

