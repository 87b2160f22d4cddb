import VeectorWire

/// One node in a routing-table bucket (or its replacement cache), with what we know of its liveness.
public struct RoutingEntry: Hashable, Sendable {
    /// The node's ID and endpoint.
    public var contact: NodeContact
    /// When we last heard from it (a reply to our query, or a query from it).
    public var lastSeen: Instant
    /// Queries to it that failed in a row since it was last heard from.
    public var failures: Int
    /// When the table last asked the driver to ping it (cleared by a reply or a failure); while
    /// set and recent, the table does not ask again.
    public var pingRequested: Instant?

    /// Makes an entry heard from at `lastSeen`.
    public init(contact: NodeContact, lastSeen: Instant, failures: Int = 0) {
        self.contact = contact
        self.lastSeen = lastSeen
        self.failures = failures
        pingRequested = nil
    }

    /// Its state at `now` under `configuration`.
    public func state(at now: Instant, configuration: RoutingTableConfiguration) -> NodeState {
        if failures >= configuration.maxFailures { return .bad }
        return now.duration(since: lastSeen) >= configuration.questionableAfter ? .questionable : .good
    }
}
