import VeectorWire

/// What `RoutingTable.insert(_:now:)` did with a node we heard from.
public enum InsertOutcome: Hashable, Sendable {
    /// It was already in its bucket; its last-seen time was renewed and its failures cleared.
    case refreshed
    /// It took a free slot in its bucket.
    case added
    /// Its bucket was full; it took the slot of a bad node, which was dropped.
    case replacedBad(NodeContact)
    /// Its bucket was full of good nodes; it waits in the replacement cache.
    case cached
    /// Its bucket was full and held questionable nodes: it waits in the replacement cache and the
    /// driver should ping these (least recently seen first), reporting each outcome with
    /// `insert(_:now:)` or `recordFailure(of:now:)`; a node that goes bad is replaced. A node is
    /// not listed again while its ping is unresolved (for `pingRetryAfter`).
    case cachedPendingPings([NodeContact])
}
