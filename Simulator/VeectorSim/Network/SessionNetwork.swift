import VeectorWire

/// The network model of session-based runs (gossip links, transfer sessions): which sessions are
/// open, dials in flight, the partition, and when a frame put on a session arrives.
///
/// A session is a reliable, ordered byte stream between two peers: a frame arrives after the
/// pair's base delay (`NetworkConditions.baseDelay`) plus a queueing jitter, uniform in
/// [0, 2 × the mean jitter), and never before the previous frame the same way. When the run models
/// loss on sessions, a frame that loses one of its packets arrives a round trip later (a
/// retransmission). Opening takes one round trip. Closing a session loses what is in flight on it
/// (arrivals carry the session's epoch). The simulation owns the peers and decides who may dial
/// whom; this model owns only the wires.
struct SessionNetwork {
    /// Latency, jitter and loss.
    let conditions: NetworkConditions
    /// The stream jitter and loss are drawn from.
    private var random: SimRandom
    /// Open sessions.
    private(set) var links: [LinkKey: SessionLink] = [:]
    /// Open sessions of each peer (the other ends).
    private(set) var linksOf: [Set<Int>]
    /// Dials in flight.
    private var pendingOpens: Set<LinkKey> = []
    /// Sessions opened so far.
    private(set) var opened = 0
    /// Each peer's side of the partition (0 or 1).
    private(set) var group: [Int]
    /// Whether a partition is in force.
    private(set) var partitioned = false

    /// `peers` peers with no sessions, jitter and loss drawn from `random`.
    init(conditions: NetworkConditions, peers: Int, random: SimRandom) {
        self.conditions = conditions
        self.random = random
        linksOf = Array(repeating: [], count: peers)
        group = Array(repeating: 0, count: peers)
    }

    /// The base one-way delay between `a` and `b`.
    func baseDelay(_ a: Int, _ b: Int) -> Duration { conditions.baseDelay(a, b) }

    /// True unless a partition separates `a` and `b`.
    func sameSide(_ a: Int, _ b: Int) -> Bool { !partitioned || group[a] == group[b] }

    /// The epoch of the open session between `a` and `b`, if any.
    func epoch(_ a: Int, _ b: Int) -> Int? { links[LinkKey(a, b)]?.epoch }

    /// True while a dial between `a` and `b` is in flight.
    func isOpening(_ a: Int, _ b: Int) -> Bool { pendingOpens.contains(LinkKey(a, b)) }

    /// Records a dial between `a` and `b` (the caller checked they may connect); returns when the
    /// handshake completes: one round trip from `now`.
    mutating func dial(_ a: Int, _ b: Int, now: Instant) -> Instant {
        pendingOpens.insert(LinkKey(a, b))
        return now.advanced(by: baseDelay(a, b) * 2)
    }

    /// The handshake between `a` and `b` ended (opened or not): it is no longer in flight.
    mutating func endDial(_ a: Int, _ b: Int) { pendingOpens.remove(LinkKey(a, b)) }

    /// Opens a session between `a` and `b` with a new epoch (the caller checked none is open).
    mutating func establish(_ a: Int, _ b: Int) {
        opened += 1
        links[LinkKey(a, b)] = SessionLink(epoch: opened)
        linksOf[a].insert(b)
        linksOf[b].insert(a)
    }

    /// Closes the session between `a` and `b`; false if none was open.
    mutating func remove(_ a: Int, _ b: Int) -> Bool {
        guard links.removeValue(forKey: LinkKey(a, b)) != nil else { return false }
        linksOf[a].remove(b)
        linksOf[b].remove(a)
        return true
    }

    /// Puts a frame that leaves `from` at `departure` on the session to `to`: when it arrives and on
    /// which epoch, or nil if no session is open. `packets` is how many packets the frame takes
    /// when the run models loss on sessions (nil: no loss, as for gossip links).
    mutating func send(from: Int, to: Int, departure: Instant, packets: Int? = nil) -> (arrival: Instant, epoch: Int)? {
        let key = LinkKey(from, to)
        guard var link = links[key] else { return nil }
        var delay = baseDelay(from, to) + jitter()
        if let packets, conditions.loss > 0, random.chance(1 - power(1 - conditions.loss, packets)) {
            delay += baseDelay(from, to) * 2
        }
        var arrival = departure.advanced(by: delay)
        if from < to {
            arrival = max(arrival, link.lastArrivalUp)
            link.lastArrivalUp = arrival
        } else {
            arrival = max(arrival, link.lastArrivalDown)
            link.lastArrivalDown = arrival
        }
        links[key] = link
        return (arrival, link.epoch)
    }

    /// Splits the peers: `fraction` of them, chosen with `random`, go to the second side. Returns the
    /// open sessions that cross the cut, in order (the caller closes them, telling both ends).
    mutating func partition(_ fraction: Double, choosingWith random: inout SimRandom) -> [LinkKey] {
        for i in group.indices { group[i] = 0 }
        for i in random.pick(Int((Double(group.count) * fraction).rounded()), from: Array(group.indices)) { group[i] = 1 }
        partitioned = true
        return links.keys.filter { group[$0.a] != group[$0.b] }.sorted()
    }

    /// Ends the partition (sessions closed by it stay closed until dialled again).
    mutating func heal() { partitioned = false }

    /// Queueing jitter, uniform in [0, 2 × the mean jitter).
    private mutating func jitter() -> Duration {
        let mean = conditions.jitter.nanosecondCount
        guard mean > 0 else { return .zero }
        return .nanoseconds(Int64(random.next() % UInt64(2 * mean)))
    }
}

/// `x` to the power `n` (n ≥ 0), by squaring (no Foundation, the same bits everywhere).
func power(_ x: Double, _ n: Int) -> Double {
    var result = 1.0, base = x, k = n
    while k > 0 {
        if k & 1 == 1 { result *= base }
        base *= base
        k >>= 1
    }
    return result
}
