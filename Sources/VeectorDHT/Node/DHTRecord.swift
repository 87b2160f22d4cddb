import VeectorWire

/// A record this node owns and keeps alive in the DHT: `DHTCommand.publish` stores it at once
/// and the node republishes it on its own schedule (announces every
/// `DHTConfiguration.announceRepublishInterval`, items every `itemRepublishInterval`).
public enum DHTRecord: Hashable, Sendable {
    /// "I am a peer for `infoHash`": announced to the k nodes closest to it.
    case announce(infoHash: NodeID, port: DHTAnnouncePort)
    /// A BEP 44 immutable item, stored under SHA-1 of its bencoded value.
    case immutable(BencodeValue)
    /// A signed BEP 44 mutable item; publishing a newer `seq` under the same target replaces it.
    case mutable(MutableItem)

    /// Where the record lives in the key space; the node owns at most one record per target.
    public var target: NodeID {
        switch self {
        case let .announce(infoHash, _): infoHash
        case let .immutable(value): BEP44.immutableTarget(value: value)
        case let .mutable(item): item.target
        }
    }
}
