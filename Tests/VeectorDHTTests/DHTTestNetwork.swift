import VeectorWire
@testable import VeectorDHT

/// A deterministic discrete-event network of real `DHTNode`s for tests: every datagram is the
/// real encoded bytes, delivered after a seeded random 5-50 ms; timers fire at their instants;
/// dead nodes neither receive nor act. One seeded RNG drives everything, so a seed fixes the run.
struct DHTTestNetwork {
    /// One scheduled event.
    struct Scheduled {
        var at: Instant
        var seq: Int
        var node: Int
        var event: DHTEvent
    }

    var nodes: [DHTNode] = []
    var addresses: [PeerAddress] = []
    var index: [PeerAddress: Int] = [:]
    var dead: Set<Int> = []
    var now = Instant.zero
    var rng: SeededRNG
    var results: [Int: [DHTCommandID: DHTResult]] = [:]
    var nextCommand: UInt64 = 1
    /// Every action taken, in order, when `recording` (for determinism checks).
    var trace: [(node: Int, action: DHTAction)] = []
    var recording = false
    /// Datagrams a node sent to an address outside the network (flood replies, for instance).
    struct OutsideKey: Hashable {
        var node: Int
        var to: PeerAddress
    }
    /// Datagrams sent outside the network, by sender and address.
    var outside: [OutsideKey: Int] = [:]
    /// A command the current `run(until:)` waits for.
    struct Waiting: Hashable {
        var node: Int
        var id: DHTCommandID
    }
    private var waiting: Set<Waiting> = []
    private var heap: [Scheduled] = []
    private var seq = 0

    init(seed: UInt64) { rng = SeededRNG(seed: seed) }

    /// The configuration test nodes use: BEP 42 off is unnecessary (10/8 is exempt), defaults otherwise.
    static let configuration = DHTConfiguration()

    /// Adds a node at 10.0.x.y:6881 with a random ID; returns its index.
    @discardableResult
    mutating func addNode(configuration: DHTConfiguration = DHTTestNetwork.configuration) -> Int {
        let i = nodes.count
        let address = PeerAddress(ip: IPv4Address(10, UInt8(i >> 16 & 0xFF), UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF)), port: 6881)
        let id = NodeID.random(using: &rng)
        nodes.append(DHTNode(ownID: id, configuration: configuration, now: now, rng: &rng))
        addresses.append(address)
        index[address] = i
        return i
    }

    /// A network of `size` nodes where node 0 knows no one and every other node bootstraps through
    /// it, 20 at a time; throws if a bootstrap does not complete or does not reach node 0.
    static func bootstrapped(size: Int, seed: UInt64) throws -> DHTTestNetwork {
        var net = DHTTestNetwork(seed: seed)
        for _ in 0..<size { net.addNode() }
        var wave: [(Int, DHTCommandID)] = []
        for i in 1..<size {
            wave.append((i, net.command(i, .bootstrap([net.addresses[0]]))))
            guard wave.count == 20 || i == size - 1 else { continue }
            try net.complete(wave)
            for (n, id) in wave {
                guard case let .bootstrapped(report)? = net.result(n, id), report.answered == 1, report.routingTableSize > 0 else {
                    throw BootstrapFailed(node: n, result: net.result(n, id))
                }
            }
            wave.removeAll()
        }
        return net
    }

    /// A node of `bootstrapped(size:seed:)` did not join.
    struct BootstrapFailed: Error, CustomStringConvertible {
        var node: Int
        var result: DHTResult?
        var description: String { "node \(node) did not bootstrap: \(String(describing: result))" }
    }

    /// Schedules `command` on node `i` now; returns its ID.
    @discardableResult
    mutating func command(_ i: Int, _ command: DHTCommand) -> DHTCommandID {
        let id = DHTCommandID(nextCommand)
        nextCommand += 1
        schedule(Scheduled(at: now, seq: 0, node: i, event: .command(id, command)))
        return id
    }

    /// Delivers a datagram from an outside (or inside) address to node `i` at `at`.
    mutating func inject(_ bytes: [UInt8], from: PeerAddress, to i: Int, at: Instant) {
        schedule(Scheduled(at: at, seq: 0, node: i, event: .datagram(from: from, bytes: bytes)))
    }

    /// The result of command `id` on node `i`, if it completed.
    func result(_ i: Int, _ id: DHTCommandID) -> DHTResult? { results[i]?[id] }

    /// Runs events until every listed command has completed or virtual time passes `limit`.
    /// Returns true if they all completed.
    @discardableResult
    mutating func run(until commands: [(Int, DHTCommandID)], limit: Duration = .seconds(600)) -> Bool {
        let deadline = now.advanced(by: limit)
        waiting = Set(commands.filter { result($0.0, $0.1) == nil }.map { Waiting(node: $0.0, id: $0.1) })
        while !waiting.isEmpty, let next = pop() {
            if next.at > deadline {
                schedule(next)
                now = deadline
                return false
            }
            now = max(now, next.at)
            step(next)
        }
        return waiting.isEmpty
    }

    /// Like `run(until:limit:)`, but throws `Stalled` if a command did not complete.
    mutating func complete(_ commands: [(Int, DHTCommandID)], limit: Duration = .seconds(600)) throws {
        guard run(until: commands, limit: limit) else { throw Stalled(pending: waiting.count, at: now) }
    }

    /// Commands did not complete within the time limit.
    struct Stalled: Error, CustomStringConvertible {
        var pending: Int
        var at: Instant
        var description: String { "\(pending) commands still running at \(at) of virtual time" }
    }

    /// Runs every event up to `instant` (inclusive).
    mutating func run(to instant: Instant) {
        while let next = pop() {
            if next.at > instant {
                schedule(next)
                break
            }
            now = max(now, next.at)
            step(next)
        }
        now = max(now, instant)
    }

    /// Handles one event; returns false if the node is dead.
    @discardableResult
    private mutating func step(_ item: Scheduled) -> Bool {
        guard !dead.contains(item.node) else { return false }
        let actions = nodes[item.node].handle(item.event, now: now, rng: &rng)
        for action in actions {
            if recording { trace.append((item.node, action)) }
            switch action {
            case let .send(to, bytes):
                guard let j = index[to] else {
                    outside[OutsideKey(node: item.node, to: to), default: 0] += 1
                    continue
                }
                let latency = Duration.milliseconds(Int.random(in: 5...50, using: &rng))
                schedule(Scheduled(at: now.advanced(by: latency), seq: 0, node: j,
                                   event: .datagram(from: addresses[item.node], bytes: bytes)))
            case let .setTimer(timer, at):
                schedule(Scheduled(at: at, seq: 0, node: item.node, event: .timer(timer)))
            case let .complete(id, result):
                results[item.node, default: [:]][id] = result
                waiting.remove(Waiting(node: item.node, id: id))
            }
        }
        return true
    }

    // A binary min-heap on (at, seq).
    private mutating func schedule(_ item: Scheduled) {
        var item = item
        item.seq = seq
        seq += 1
        heap.append(item)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func pop() -> Scheduled? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(heap[l], heap[m]) { m = l }
            if r < heap.count, less(heap[r], heap[m]) { m = r }
            guard m != i else { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }

    private func less(_ a: Scheduled, _ b: Scheduled) -> Bool { (a.at, a.seq) < (b.at, b.seq) }
}
