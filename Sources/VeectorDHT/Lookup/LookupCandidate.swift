import VeectorWire

/// A node on a lookup's shortlist and how far its query has got.
struct LookupCandidate: Hashable, Sendable {
    /// Where a candidate's query stands.
    enum Status: Hashable, Sendable {
        /// Not queried yet.
        case fresh
        /// Queried with this transaction ID.
        case inFlight(transactionID: [UInt8])
        /// Answered, with its token if any.
        case answered(token: [UInt8]?)
        /// Timed out, errored, or answered with another ID.
        case failed
    }

    /// The node.
    var contact: NodeContact
    /// Referral depth: 1 for a seed, one more than the referrer's otherwise.
    var hops: Int
    /// Query progress.
    var status: Status = .fresh
}
