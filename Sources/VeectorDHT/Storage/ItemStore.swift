import VeectorWire

/// BEP 44 items stored by this node: immutable items under SHA-1 of their bencoded value, and
/// signed mutable items under SHA-1 of key ‖ salt, keeping the highest `seq`. A `put` keeps an
/// item for `itemLifetime` (2 hours); a repeated put renews it. Bounded by `maxItems`, evicting
/// the item that expires soonest. The caller checks the write token before `put`.
public struct ItemStore: Sendable {
    /// The limits in force.
    public let configuration: ItemStoreConfiguration
    private var items: [NodeID: StoredItem] = [:]

    /// An empty store.
    public init(configuration: ItemStoreConfiguration = ItemStoreConfiguration()) {
        self.configuration = configuration
    }

    /// Items kept (expired ones included until swept or overwritten).
    public var count: Int { items.count }

    /// Stores `item` at `now` and returns its target, or throws the reason to refuse it.
    ///
    /// Checks, in order: size of `v` (205), size of salt (207), signature (206), `target` if the
    /// caller names one (203), then against an unexpired stored mutable item: `cas` (301), then
    /// `seq` (302 if lower, or equal with another value). An identical re-put renews the expiry.
    @discardableResult
    public mutating func put(_ item: DHTItem, target: NodeID? = nil, cas: Int64? = nil, now: Instant) throws(ItemStoreError) -> NodeID {
        if let rejection = BEP44.rejection(of: item) {
            switch rejection.code {
            case KRPCErrorMessage.valueTooBigCode: throw .valueTooBig
            case KRPCErrorMessage.saltTooBigCode: throw .saltTooBig
            default: throw .invalidSignature
            }
        }
        let key = item.target
        if let target, target != key { throw .targetMismatch }
        if case let .mutable(new) = item, let stored = self.item(for: key, now: now), case let .mutable(old) = stored.item {
            if let cas, cas != old.seq { throw .casMismatch(stored: old.seq) }
            if new.seq < old.seq || (new.seq == old.seq && new.value != old.value) {
                throw .sequenceTooLow(stored: old.seq)
            }
        }
        items[key] = StoredItem(item: item, expires: now.advanced(by: configuration.itemLifetime))
        if items.count > configuration.maxItems {
            removeExpired(now: now)
            while items.count > configuration.maxItems,
                  let soonest = items.lazy.filter({ $0.key != key }).min(by: { ($0.value.expires, $0.key) < ($1.value.expires, $1.key) })?.key {
                items[soonest] = nil
            }
        }
        return key
    }

    /// The unexpired item stored under `target`, if any.
    public func item(for target: NodeID, now: Instant) -> StoredItem? {
        guard let stored = items[target], now < stored.expires else { return nil }
        return stored
    }

    /// Drops every expired item.
    public mutating func removeExpired(now: Instant) {
        items = items.filter { now < $0.value.expires }
    }
}
