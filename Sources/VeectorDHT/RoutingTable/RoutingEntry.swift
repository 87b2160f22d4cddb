import VeectorWire

/// One node in a routing-table bucket (or its replacement cache), with what we know of its liveness.
public struct RoutingEntry: Hashable, Sendable {
    /// The node's ID and endpoint.
    public var contact: NodeContact
    /// When we last heard from it (a reply to our query, or a query from it).
    public var lastSeen: Instant
    /// Queries to it that failed in a row since it was last heard from.
    public var failures: Int

    /// Makes an entry heard from at `lastSeen`.
    public init(contact: NodeContact, lastSeen: Instant, failures: Int = 0) {
        self.contact = contact
        self.lastSeen = lastSeen
        self.failures = failures
    }

    /// Its state at `now` under `configuration`.
    public func state(at now: Instant, configuration: RoutingTableConfiguration) -> NodeState {
        if failures >= configuration.maxFailures { return .bad }
        return now.duration(since: lastSeen) >= configuration.questionableAfter ? .questionable : .good
    }
}
