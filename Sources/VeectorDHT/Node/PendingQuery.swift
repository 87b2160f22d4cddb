import VeectorWire

/// A query of ours awaiting its reply, keyed by its wire transaction ID.
struct PendingQuery: Sendable {
    /// What the reply (or its absence) is for.
    enum Purpose: Sendable {
        /// A lookup's query; the lookup knows it by its own transaction ID.
        case lookup(operation: Int, lookupTransactionID: [UInt8])
        /// A bootstrap probe (`find_node` for our own ID to an address whose ID we do not know).
        case probe(operation: Int)
        /// The `ping` of a `DHTCommand.ping`.
        case ping(operation: Int)
        /// An `announce_peer` or `put` of a store operation.
        case store(operation: Int)
        /// A ping to a questionable node of a full bucket (BEP 5 liveness check).
        case liveness
    }

    /// Where it went; a reply from elsewhere is not accepted.
    var to: PeerAddress
    /// The node ID we expect to answer, when known.
    var expectedID: NodeID?
    /// When it times out.
    var deadline: Instant
    /// What it is for.
    var purpose: Purpose
}
