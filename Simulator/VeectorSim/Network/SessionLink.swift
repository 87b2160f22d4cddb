import VeectorWire

/// One open session between two simulated peers (a gossip link or a transfer session).
struct SessionLink {
    /// Distinguishes this session from earlier ones between the same peers (frames in flight on a
    /// closed session are lost with it).
    let epoch: Int
    /// Arrival time of the last frame from the lower to the higher index, so frames never overtake.
    var lastArrivalUp: Instant = .zero
    /// Arrival time of the last frame from the higher to the lower index.
    var lastArrivalDown: Instant = .zero
}

/// An unordered pair of peer indices (lower first): the key of a session.
struct LinkKey: Hashable, Comparable {
    let a: Int, b: Int
    init(_ x: Int, _ y: Int) { a = min(x, y); b = max(x, y) }
    static func < (l: LinkKey, r: LinkKey) -> Bool { (l.a, l.b) < (r.a, r.b) }
}
