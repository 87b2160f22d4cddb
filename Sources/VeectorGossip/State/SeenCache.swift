import VeectorWire

/// The IDs of messages already handled, each remembered until its expiry, at most `capacity` of
/// them (the oldest is forgotten first). Keeps a node from delivering or relaying a message twice.
struct SeenCache: Sendable {
    let capacity: Int
    let duration: Duration
    private var expiry: [GossipMessageID: Instant] = [:]
    private var order = FIFO<(GossipMessageID, Instant)>()

    init(capacity: Int, duration: Duration) { self.capacity = max(1, capacity); self.duration = duration }

    var count: Int { expiry.count }

    func contains(_ id: GossipMessageID) -> Bool { expiry[id] != nil }

    mutating func insert(_ id: GossipMessageID, now: Instant) {
        guard expiry[id] == nil else { return }
        while expiry.count >= capacity, case let (old, _)? = order.popFirst() { expiry[old] = nil }
        let until = now.advanced(by: duration)
        expiry[id] = until
        order.append((id, until))
    }

    mutating func expire(now: Instant) {
        while case let (id, until)? = order.first, until <= now {
            _ = order.popFirst()
            expiry[id] = nil
        }
    }
}
