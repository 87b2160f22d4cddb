/// A BEP 44 item as carried by `put`: immutable (keyed by the hash of its value) or mutable
/// (keyed by its signer's public key and salt).
public enum DHTItem: Hashable, Sendable {
    /// An immutable item: just its value.
    case immutable(BencodeValue)
    /// A signed mutable item.
    case mutable(MutableItem)

    /// The target the item is stored under.
    public var target: NodeID {
        switch self {
        case let .immutable(v): BEP44.immutableTarget(value: v)
        case let .mutable(m): m.target
        }
    }
}
