import VeectorWire

/// What a `Lookup` asks its driver to do.
public enum LookupAction: Hashable, Sendable {
    /// Send this query to this endpoint.
    case send(KRPCMessage, to: PeerAddress)
    /// Fire `LookupEvent.timeout(transactionID: id)` at `at` (unless the lookup is finished; a
    /// timer for a query already answered is ignored, so cancelling is optional).
    case setTimer(id: [UInt8], at: Instant)
    /// The lookup is over; no further actions follow.
    case finished(LookupResult)
}
