import VeectorWire

/// Which query an iterative lookup sends; they share one state machine and differ only in the
/// query and in what replies may carry.
public enum LookupKind: Hashable, Sendable {
    /// BEP 5 `find_node`: just the closest nodes.
    case findNode
    /// BEP 5 `get_peers`: peers for the info-hash, and a write token from each responder.
    case getPeers
    /// BEP 44 `get`: the stored item, and a write token from each responder; `seq` asks responders
    /// to omit mutable values not newer than it.
    case get(seq: Int64?)
}
