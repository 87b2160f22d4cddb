import VeectorWire

/// Why a routing table refused a node.
public enum RoutingTableError: Error, Hashable, Sendable {
    /// The node claims our own ID.
    case ownID
    /// BEP 42 enforcement is on and the ID does not match the node's (non-local) address.
    case bep42Mismatch(NodeContact)
    /// The ID is already in the table at another address; the old entry is kept (an ID must not be
    /// hijacked by whoever sends a packet with it).
    case addressConflict(known: NodeContact, claimed: PeerAddress)
    /// `oneNodePerAddress` is on and another live node already sits at this address in a bucket
    /// (the newcomer is refused until that node goes bad).
    case addressInUse(known: NodeContact, claimedBy: NodeID)
}
