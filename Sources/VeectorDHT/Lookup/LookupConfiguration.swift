import VeectorWire

/// The parameters of an iterative lookup.
public struct LookupConfiguration: Hashable, Sendable {
    /// Queries in flight at once (Kademlia's α).
    public var parallelism: Int
    /// How many closest nodes must answer before the lookup ends (Kademlia's k).
    public var resultCount: Int
    /// How long to wait for one reply before counting the query as failed.
    public var queryTimeout: Duration
    /// Bytes of each random transaction ID.
    public var transactionIDBytes: Int
    /// At most this many candidates are remembered; farther unqueried ones are forgotten.
    public var maxCandidates: Int

    /// Makes a configuration (defaults: α = 3, k = 8, 2 s per query, 4-byte transaction IDs).
    public init(parallelism: Int = 3, resultCount: Int = 8, queryTimeout: Duration = .seconds(2),
                transactionIDBytes: Int = 4, maxCandidates: Int = 128) {
        precondition(parallelism > 0 && resultCount > 0 && transactionIDBytes > 0 && maxCandidates >= resultCount)
        self.parallelism = parallelism
        self.resultCount = resultCount
        self.queryTimeout = queryTimeout
        self.transactionIDBytes = transactionIDBytes
        self.maxCandidates = maxCandidates
    }
}
