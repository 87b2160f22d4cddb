/// How joining the network went.
public struct DHTBootstrapReport: Hashable, Sendable {
    /// Bootstrap addresses asked.
    public var contacted: Int
    /// Bootstrap addresses that answered.
    public var answered: Int
    /// Nodes in the routing table when the join lookup finished.
    public var routingTableSize: Int
    /// The `find_node` lookup for our own ID that followed.
    public var lookup: LookupResult

    /// Makes a report.
    public init(contacted: Int, answered: Int, routingTableSize: Int, lookup: LookupResult) {
        self.contacted = contacted
        self.answered = answered
        self.routingTableSize = routingTableSize
        self.lookup = lookup
    }
}
