import VeectorWire

/// What the driver tells a `Lookup`.
public enum LookupEvent: Hashable, Sendable {
    /// Begin: query the seeds.
    case start
    /// A decoded KRPC message arrived from `from` (replies are matched by transaction ID and
    /// must come from the address queried; anything else is ignored).
    case response(from: PeerAddress, message: KRPCMessage)
    /// The timer set for the query with this transaction ID fired.
    case timeout(transactionID: [UInt8])
}
