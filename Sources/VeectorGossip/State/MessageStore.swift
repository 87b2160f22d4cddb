import VeectorWire

/// Recent full messages (their encoded `message` frames), bounded by count, bytes and age: the
/// answers to grafts and the history announced to peers that newly share a topic.
struct MessageStore: Sendable {
    struct Entry: Sendable {
        let topic: GossipTopic
        let frame: [UInt8]
        let until: Instant
    }

    let capacity: Int
    let byteLimit: Int
    let duration: Duration
    private var entries: [GossipMessageID: Entry] = [:]
    private var order = FIFO<GossipMessageID>()
    private(set) var bytes = 0

    init(capacity: Int, byteLimit: Int, duration: Duration) {
        self.capacity = max(1, capacity); self.byteLimit = byteLimit; self.duration = duration
    }

    var count: Int { entries.count }

    func frame(_ id: GossipMessageID) -> [UInt8]? { entries[id]?.frame }

    mutating func insert(_ id: GossipMessageID, topic: GossipTopic, frame: [UInt8], now: Instant) {
        guard entries[id] == nil, frame.count <= byteLimit else { return }
        while entries.count >= capacity || bytes + frame.count > byteLimit, let old = order.popFirst() { remove(old) }
        entries[id] = Entry(topic: topic, frame: frame, until: now.advanced(by: duration))
        bytes += frame.count
        order.append(id)
    }

    mutating func expire(now: Instant) {
        while let id = order.first {
            if let e = entries[id], e.until > now { break }
            _ = order.popFirst()
            remove(id)
        }
    }

    /// Up to `limit` IDs of `topic`, newest last.
    func recentIDs(topic: GossipTopic, limit: Int) -> [GossipMessageID] {
        var out: [GossipMessageID] = []
        for id in order.elements.reversed() where out.count < limit {
            if entries[id]?.topic == topic { out.append(id) }
        }
        return out.reversed()
    }

    private mutating func remove(_ id: GossipMessageID) {
        if let e = entries.removeValue(forKey: id) { bytes -= e.frame.count }
    }
}
