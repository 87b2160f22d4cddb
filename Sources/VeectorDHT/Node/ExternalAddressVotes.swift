import VeectorWire

/// What other nodes say our address is (BEP 42's `ip` field in their replies): the last
/// `capacity` reports, one per reporting IP, and the address most of them name. The node uses it
/// to derive a BEP 42-valid ID; it is advice, never trusted for anything else.
public struct ExternalAddressVotes: Hashable, Sendable {
    /// Most reports kept (the oldest is dropped first).
    public let capacity: Int
    private var votes: [(reporter: IPv4Address, said: PeerAddress)] = []

    /// No reports yet.
    public init(capacity: Int = 32) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// Records that `reporter` saw us at `said` (a newer report from the same IP replaces its older one).
    public mutating func record(_ said: PeerAddress, from reporter: IPv4Address) {
        votes.removeAll { $0.reporter == reporter }
        votes.append((reporter, said))
        if votes.count > capacity { votes.removeFirst(votes.count - capacity) }
    }

    /// The address named by most reporters, once at least `quorum` agree (ties: the most recent).
    public func consensus(quorum: Int = 2) -> PeerAddress? {
        var tally: [PeerAddress: Int] = [:]
        var best: (PeerAddress, Int)?
        for vote in votes {
            tally[vote.said, default: 0] += 1
            let n = tally[vote.said]!
            if n >= (best?.1 ?? 0) { best = (vote.said, n) }
        }
        guard let best, best.1 >= quorum else { return nil }
        return best.0
    }

    /// Reports kept.
    public var count: Int { votes.count }

    /// The kept reports, oldest first: who reported (one entry per reporting IP) and what it said,
    /// for policies stricter than `consensus` (e.g. a majority of distinct reporters' IPs).
    public var reports: [(reporter: IPv4Address, said: PeerAddress)] { votes }

    /// Compares the kept reports.
    public static func == (lhs: ExternalAddressVotes, rhs: ExternalAddressVotes) -> Bool {
        lhs.capacity == rhs.capacity && lhs.votes.elementsEqual(rhs.votes) { $0.reporter == $1.reporter && $0.said == $1.said }
    }

    /// Hashes the kept reports.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(capacity)
        for v in votes {
            hasher.combine(v.reporter)
            hasher.combine(v.said)
        }
    }
}
