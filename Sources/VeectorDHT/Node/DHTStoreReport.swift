import VeectorWire

/// How a store operation went (announce_peer, BEP 44 put, publish): how many of the k closest
/// nodes accepted the write.
public struct DHTStoreReport: Hashable, Sendable {
    /// The info-hash or item target written under.
    public var target: NodeID
    /// Nodes that were sent the write (the closest responders that handed out a token).
    public var asked: Int
    /// Nodes that acknowledged it.
    public var stored: Int
    /// Error replies received, in order of arrival (e.g. 302 "old sequence number").
    public var rejections: [KRPCErrorMessage]
    /// The lookup that found the nodes.
    public var lookup: LookupResult

    /// Makes a report.
    public init(target: NodeID, asked: Int, stored: Int, rejections: [KRPCErrorMessage], lookup: LookupResult) {
        self.target = target
        self.asked = asked
        self.stored = stored
        self.rejections = rejections
        self.lookup = lookup
    }
}
