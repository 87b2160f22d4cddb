import VeectorWire

/// How much a routing table trusts a node (BEP 5, "Routing Table").
public enum NodeState: Hashable, Sendable {
    /// Heard from within `RoutingTableConfiguration.questionableAfter` and not failing.
    case good
    /// Silent for longer than `questionableAfter`: worth a ping before it is relied on or evicted.
    case questionable
    /// Failed `RoutingTableConfiguration.maxFailures` queries in a row: replaced as soon as a
    /// replacement is known, and never returned by `closest(to:count:now:)`.
    case bad
}
