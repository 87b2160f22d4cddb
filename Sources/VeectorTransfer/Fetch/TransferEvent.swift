/// What a driver (the node's session driver, or the simulator) feeds a `TransferCore`.
public enum TransferEvent: Hashable, Sendable {
    /// Begin: connect to the providers known so far, or ask for some.
    case start
    /// Peers that announced the content (from the DHT's `get_peers`, say). Unknown ones become
    /// candidates; the core connects to them as it needs.
    case addProviders([TransferPeer])
    /// A session to `peer` is open (after `connect`, or one that already existed).
    case linkUp(TransferPeer)
    /// The session to `peer` closed or could not be opened.
    case linkDown(TransferPeer)
    /// One transfer message (an answer: manifest, have, dontHave, chunk, busy) from `peer`.
    case received(from: TransferPeer, bytes: [UInt8])
    /// The timer the core set is due (early or stale firings are harmless).
    case timer(TransferTimer)
    /// The answer to `TransferAction.checkWhole`: whether the stored chunks, in order, hash to the
    /// content CID.
    case wholeChecked(matches: Bool)
    /// The application no longer wants the content.
    case cancel
}

/// The timers a `TransferCore` asks for: one wake-up at the earliest deadline it tracks
/// (connects, manifests, requests, `busy` back-offs, reconnects, waiting for providers).
public enum TransferTimer: Hashable, Sendable {
    /// Look at every deadline that is due.
    case wake
}
