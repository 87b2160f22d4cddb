/// Counters of what a `DHTNode` received, sent and dropped, for monitoring and tests.
public struct DHTStats: Hashable, Sendable {
    /// Datagrams received (including dropped ones).
    public var datagramsIn = 0
    /// Datagrams sent.
    public var datagramsOut = 0
    /// Bytes received.
    public var bytesIn = 0
    /// Bytes sent.
    public var bytesOut = 0
    /// Valid queries received, per method.
    public var queriesIn = DHTMethodCounts()
    /// Queries sent, per method.
    public var queriesOut = DHTMethodCounts()
    /// Replies received that matched a query of ours.
    public var responsesIn = 0
    /// Replies sent.
    public var responsesOut = 0
    /// KRPC error messages received that matched a query of ours.
    public var errorsIn = 0
    /// KRPC error messages sent (malformed queries, bad tokens, refused puts).
    public var errorsOut = 0
    /// Datagrams dropped because they were not valid bencode/KRPC.
    public var droppedMalformed = 0
    /// Datagrams dropped by the per-address rate limit.
    public var droppedRateLimited = 0
    /// Replies dropped because they matched no query of ours (or came from another address).
    public var droppedUnsolicited = 0
    /// Queries dropped because this node is read-only (BEP 43).
    public var droppedReadOnly = 0
    /// Our queries that got no reply in time.
    public var timeouts = 0
    /// Nodes in the routing table's buckets (filled in when the stats are read).
    public var routingTableSize = 0
    /// Queries of ours awaiting a reply (filled in when the stats are read).
    public var queriesInFlight = 0
    /// Operations running (filled in when the stats are read).
    public var operationsRunning = 0

    /// All zero.
    public init() {}
}
