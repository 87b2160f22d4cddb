import VeectorWire

/// What `RoutingTable.recordFailure(of:now:)` did.
public enum FailureOutcome: Hashable, Sendable {
    /// The ID is not in the table (nor in a replacement cache).
    case unknown
    /// The failure was counted; the node is not bad yet (or it sat in a replacement cache).
    case counted(failures: Int)
    /// The node is bad and was replaced by the freshest replacement candidate.
    case replaced(by: NodeContact)
    /// The node is bad and stays until a replacement turns up (it is no longer returned by lookups).
    case bad
}
