import VeectorWire

/// A local request to a `DHTNode`. Each ends with exactly one `DHTAction.complete` carrying the
/// command's ID and a `DHTResult` (`.failed` with a `DHTError` when it could not be done).
public enum DHTCommand: Hashable, Sendable {
    /// Join the network through these addresses (node IDs unknown; empty = the configured
    /// `DHTConfiguration.bootstrapNodes`): ask each for the nodes closest to our ID, then run a
    /// `find_node` lookup for our own ID. Result: `.bootstrapped`.
    case bootstrap([PeerAddress])
    /// Ping one address. Result: `.pong` with the node's ID and address.
    case ping(PeerAddress)
    /// Iterative `find_node` lookup. Result: `.nodes` (the k closest nodes that answered).
    case findNode(NodeID)
    /// Iterative `get_peers` lookup. Result: `.peers`.
    case getPeers(infoHash: NodeID)
    /// `get_peers` lookup, then `announce_peer` to the k closest nodes with their tokens, once
    /// (see `publish` to keep it alive). Result: `.stored`.
    case announce(infoHash: NodeID, port: DHTAnnouncePort)
    /// Iterative BEP 44 `get`. For a mutable item pass the `salt` it was stored with (target =
    /// SHA-1(key ‖ salt)); `seq` asks only for versions newer than it. Returned items are checked
    /// (hash for immutable, target and signature for mutable; the highest `seq` wins).
    /// Result: `.item` (nil item when none was found).
    case getItem(target: NodeID, salt: [UInt8] = [], seq: Int64? = nil)
    /// BEP 44 `get` lookup, then `put` of the immutable value to the k closest. Result: `.stored`.
    case putImmutable(BencodeValue)
    /// BEP 44 `get` lookup, then `put` of the signed item (with `cas` if given) to the k closest.
    /// Result: `.stored`; an item that fails BEP 44's own checks fails with `.invalidItem`.
    case putMutable(MutableItem, cas: Int64? = nil)
    /// Store `record` now and keep republishing it (it goes into the snapshot). Replaces an owned
    /// record with the same target. Result: `.stored` from the first publication.
    case publish(DHTRecord)
    /// Stop republishing the owned record with this target (stored copies expire on their own).
    /// Result: `.unpublished`.
    case unpublish(target: NodeID)
}
