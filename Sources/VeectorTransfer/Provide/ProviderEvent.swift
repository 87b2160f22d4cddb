/// What a driver feeds a `ProviderCore`.
public enum ProviderEvent: Hashable, Sendable {
    /// One request (manifest request, want, cancel) from `peer`.
    case received(from: TransferPeer, bytes: [UInt8])
    /// The driver handed one `send` to `peer` to its session: the next queued chunk may go.
    case sendCompleted(to: TransferPeer)
    /// The session to `peer` closed: its queue is dropped.
    case linkDown(TransferPeer)
}

/// What a `ProviderCore` asks its driver to do.
public enum ProviderAction: Hashable, Sendable {
    /// Send one transfer message to `peer`; then report `sendCompleted`.
    case send(to: TransferPeer, bytes: [UInt8])
    /// Close the session to `peer`: it broke the protocol (`reason` says how).
    case disconnect(TransferPeer, reason: String)
}
