import VeectorWire

/// One Kademlia k-bucket: up to k live entries, a bounded replacement cache, and when the bucket
/// was last touched (a node added, refreshed or replaced in it), which drives bucket refresh.
public struct KBucket: Hashable, Sendable {
    /// The bucket's nodes, at most `RoutingTableConfiguration.bucketSize`.
    public internal(set) var entries: [RoutingEntry] = []
    /// Nodes waiting for a slot, oldest first, at most `RoutingTableConfiguration.replacementCacheSize`.
    public internal(set) var replacements: [RoutingEntry] = []
    /// When the bucket last changed; nil if never.
    public internal(set) var lastChanged: Instant?

    /// An empty bucket.
    public init() {}
}
