import VeectorDHT
import VeectorWire

extension DHTNode {
    /// The same node under another ID, for a node that has learned its external address and must take
    /// a BEP 42-valid ID (`NodeIDPolicy`). The DHT core's ID is fixed for its lifetime, so this goes
    /// through the core's own snapshot: the routing table's live nodes are re-inserted into a table
    /// built around `newID` (heard from at `now`), owned records are kept and republished. What is not
    /// carried over: lookups in flight (their commands never complete; the runner fails them), the
    /// address reports (they were about the old ID's position) and what other nodes stored on us
    /// (peers, items), which belonged to the old position in the key space. The caller should
    /// bootstrap again so the neighbours of the new ID learn it.
    public func switchingID(to newID: NodeID, now: Instant, rng: inout some RandomNumberGenerator) throws(DHTSnapshotError) -> DHTNode {
        try DHTNode(ownID: newID, configuration: configuration, snapshot: snapshot(), now: now, rng: &rng)
    }
}
