import VeectorWire

/// An item held by an `ItemStore`, with when its last `put` lapses.
public struct StoredItem: Hashable, Sendable {
    /// The item as last put.
    public var item: DHTItem
    /// When it stops being served unless put again.
    public var expires: Instant

    /// Wraps an item and its expiry.
    public init(item: DHTItem, expires: Instant) {
        self.item = item
        self.expires = expires
    }
}
