import VeectorWire

/// The knobs of a `RoutingTable`; the defaults follow BEP 5.
public struct RoutingTableConfiguration: Hashable, Sendable {
    /// Nodes per bucket (Kademlia's k; BEP 5 uses 8).
    public var bucketSize: Int
    /// Replacement candidates kept per full bucket (the most recently heard win).
    public var replacementCacheSize: Int
    /// Silence after which a node becomes questionable and a bucket needs a refresh (BEP 5: 15 minutes).
    public var questionableAfter: Duration
    /// Consecutive failed queries after which a node is bad.
    public var maxFailures: Int
    /// How long a requested ping may stay unresolved before the table asks for it again.
    public var pingRetryAfter: Duration
    /// Reject nodes whose ID does not satisfy BEP 42 for their address (local addresses are always
    /// exempt; turn this off for loopback test networks).
    public var enforceBEP42: Bool
    /// Keep at most one node ID per endpoint (IP and port) in the buckets, as libtorrent's
    /// `restrict_routing_ips` does per IP: one address cannot fill a table with invented IDs.
    public var oneNodePerAddress: Bool

    /// Makes a configuration.
    public init(bucketSize: Int = 8, replacementCacheSize: Int = 8, questionableAfter: Duration = .seconds(15 * 60),
                maxFailures: Int = 2, pingRetryAfter: Duration = .seconds(10), enforceBEP42: Bool = true,
                oneNodePerAddress: Bool = true) {
        precondition(bucketSize > 0 && replacementCacheSize >= 0 && maxFailures > 0)
        self.bucketSize = bucketSize
        self.replacementCacheSize = replacementCacheSize
        self.questionableAfter = questionableAfter
        self.maxFailures = maxFailures
        self.pingRetryAfter = pingRetryAfter
        self.enforceBEP42 = enforceBEP42
        self.oneNodePerAddress = oneNodePerAddress
    }
}
