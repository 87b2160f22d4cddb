import VeectorWire

/// Limits of an `ItemStore`.
public struct ItemStoreConfiguration: Hashable, Sendable {
    /// How long a `put` keeps an item (BEP 44 suggests 2 hours; publishers re-put to keep it).
    public var itemLifetime: Duration
    /// Most items kept; beyond it the item that would expire soonest is evicted.
    public var maxItems: Int

    /// Makes a configuration; the defaults are 2 hours and 1000 items.
    public init(itemLifetime: Duration = .seconds(2 * 60 * 60), maxItems: Int = 1000) {
        precondition(maxItems > 0, "maxItems must be positive")
        self.itemLifetime = itemLifetime
        self.maxItems = maxItems
    }
}
