import VeectorCrypto
import VeectorGossip
import VeectorWire

/// An in-memory, deterministic network of `GossipNode`s for tests: links with fixed per-link
/// latency, virtual time, a seeded rng, and records of every delivery, copy and disconnect.
/// Indices without a node are adversaries: the test scripts what they send, and they record what
/// they receive.
final class GossipNetwork {
    struct Pair: Hashable { let a: Int, b: Int; init(_ x: Int, _ y: Int) { a = min(x, y); b = max(x, y) } }
    /// One delivery to the application.
    struct Delivery { let time: Instant; let hops: Int }

    var nodes: [GossipNode?]
    let keys: [SigningKeyPair]
    let peers: [GossipPeer]
    let index: [GossipPeer: Int]
    var rng: SeededGenerator
    var now = Instant.zero
    private(set) var links: Set<Pair> = []
    private var latency: [Pair: UInt64] = [:]
    private var queue = EventQueue<(node: Int, event: GossipEvent)>()
    let latencyRange: ClosedRange<UInt64>   // milliseconds

    /// Deliveries per node per message; more than one entry per ID would be a bug, so count too.
    var deliveries: [[GossipMessageID: Delivery]]
    var deliveryCount: [[GossipMessageID: Int]]
    /// Full-message frames received per node per message.
    var copies: [[GossipMessageID: Int]]
    /// Hops from the author per node per message (author = 0).
    var hops: [[GossipMessageID: Int]]
    var published: [GossipMessageID: (author: Int, time: Instant)] = [:]
    /// IDs of every message frame each node sent.
    var forwarded: [Set<GossipMessageID>]
    /// Frames each adversary received (decoded envelopes only).
    var adversaryInbox: [Int: [GossipEnvelope]] = [:]
    var disconnects: [(by: Int, peer: Int, reason: GossipDisconnectReason)] = []
    var graylists: [(by: Int, peer: Int, until: Instant)] = []
    var peerRequests = 0
    var trace: [String]? = nil

    /// `count` nodes with seed-derived keys; `adversaries` are indices that get no node.
    init(count: Int, seed: UInt64, configuration: GossipConfiguration, adversaries: Set<Int> = [],
         latencyMs: ClosedRange<UInt64> = 10...50) {
        var rng = SeededGenerator(seed: seed)
        var keys: [SigningKeyPair] = []
        for _ in 0..<count { keys.append(try! SigningKeyPair(seed: rng.bytes(32))) }
        self.keys = keys
        let peers = keys.map { GossipPeer($0) }
        self.peers = peers
        index = Dictionary(uniqueKeysWithValues: peers.enumerated().map { ($1, $0) })
        nodes = keys.enumerated().map { i, k -> GossipNode? in
            adversaries.contains(i) ? nil : GossipNode(keys: k, configuration: configuration, unixMillisAtZero: 1_700_000_000_000)
        }
        self.rng = rng
        latencyRange = latencyMs
        deliveries = Array(repeating: [:], count: count)
        deliveryCount = Array(repeating: [:], count: count)
        copies = Array(repeating: [:], count: count)
        hops = Array(repeating: [:], count: count)
        forwarded = Array(repeating: [], count: count)
    }

    var honest: [Int] { nodes.indices.filter { nodes[$0] != nil } }

    /// Random connected topology over `members`: a random spanning tree, then random extra edges
    /// until the mean degree reaches `meanDegree` (no node above `maxDegree`).
    func randomTopology(_ members: [Int], meanDegree: Int, maxDegree: Int) {
        var order = members
        order.shuffle(using: &rng)
        for i in 1..<order.count {
            var j = Int(rng.next() % UInt64(i))
            while degree(order[j]) >= maxDegree - 1 { j = Int(rng.next() % UInt64(i)) }
            connect(order[i], order[j])
        }
        let target = members.count * meanDegree / 2
        var edges = members.count - 1, attempts = 0
        while edges < target, attempts < target * 20 {
            attempts += 1
            let a = members[Int(rng.next() % UInt64(members.count))], b = members[Int(rng.next() % UInt64(members.count))]
            guard a != b, !links.contains(Pair(a, b)), degree(a) < maxDegree, degree(b) < maxDegree else { continue }
            connect(a, b); edges += 1
        }
    }

    func degree(_ n: Int) -> Int { links.reduce(0) { $0 + ($1.a == n || $1.b == n ? 1 : 0) } }

    /// Opens a link now: both ends get `linkUp`.
    func connect(_ a: Int, _ b: Int) {
        let p = Pair(a, b)
        guard a != b, !links.contains(p) else { return }
        links.insert(p)
        latency[p] = latencyRange.lowerBound + rng.next() % (latencyRange.upperBound - latencyRange.lowerBound + 1)
        schedule(a, .linkUp(peers[b]), at: now)
        schedule(b, .linkUp(peers[a]), at: now)
    }

    /// Closes a link now: both ends get `linkDown`.
    func disconnect(_ a: Int, _ b: Int) {
        guard links.remove(Pair(a, b)) != nil else { return }
        schedule(a, .linkDown(peers[b]), at: now)
        schedule(b, .linkDown(peers[a]), at: now)
    }

    func schedule(_ node: Int, _ event: GossipEvent, at time: Instant) {
        queue.push((node, event), at: time.nanoseconds)
    }

    func command(_ node: Int, _ command: GossipCommand, at time: Instant? = nil) {
        schedule(node, .command(command), at: time ?? now)
    }

    /// Sends raw bytes from `from` (an adversary, usually) to `to` over their link, if it is up.
    func inject(_ bytes: [UInt8], from: Int, to: Int) {
        let p = Pair(from, to)
        guard links.contains(p) else { return }
        schedule(to, .received(from: peers[from], bytes: bytes), at: now.advanced(by: .milliseconds(Int64(latency[p]!))))
    }

    /// Runs events until none is due at or before `until`.
    func run(until: Instant) {
        while let t = queue.nextTime, t <= until.nanoseconds {
            let (time, item) = queue.pop()!
            now = Instant(nanoseconds: time)
            step(item.node, item.event)
        }
        if now < until { now = until }
    }

    private func step(_ n: Int, _ event: GossipEvent) {
        guard nodes[n] != nil else { adversaryReceived(n, event); return }
        if case let .received(from, _) = event, !links.contains(Pair(n, index[from]!)) { return }
        let actions = nodes[n]!.handle(event, now: now, rng: &rng)
        var sender: Int?
        if case let .received(from, bytes) = event {
            sender = index[from]!
            if let id = messageID(bytes) { copies[n][id, default: 0] += 1 }
        }
        for action in actions { perform(action, by: n, sender: sender) }
    }

    private func perform(_ action: GossipAction, by n: Int, sender: Int?) {
        if trace != nil { trace!.append("\(now.nanoseconds) \(n) \(summary(action))") }
        switch action {
        case let .send(to, bytes):
            let m = index[to]!, p = Pair(n, m)
            guard links.contains(p) else { return }
            if let id = messageID(bytes) { forwarded[n].insert(id) }
            schedule(m, .received(from: peers[n], bytes: bytes), at: now.advanced(by: .milliseconds(Int64(latency[p]!))))
            schedule(n, .sendCompleted(to: to), at: now.advanced(by: .milliseconds(1)))
        case let .deliver(envelope):
            let id = envelope.id
            deliveryCount[n][id, default: 0] += 1
            let h = sender.flatMap { hops[$0][id] }.map { $0 + 1 } ?? -1
            hops[n][id] = h
            if deliveries[n][id] == nil { deliveries[n][id] = Delivery(time: now, hops: h) }
        case let .published(envelope):
            published[envelope.id] = (n, now)
            hops[n][envelope.id] = 0
        case let .disconnect(peer, reason):
            disconnects.append((n, index[peer]!, reason))
            disconnect(n, index[peer]!)
        case let .graylist(peer, until):
            graylists.append((n, index[peer]!, until))
        case let .connect(peer):
            connect(n, index[peer]!)
        case .requestPeers:
            peerRequests += 1
        case let .setTimer(timer, at):
            schedule(n, .timer(timer), at: at)
        case .commandFailed:
            break
        }
    }

    private func adversaryReceived(_ n: Int, _ event: GossipEvent) {
        guard case let .received(_, bytes) = event, case let .message(e)? = try? GossipFrame(decoding: bytes) else { return }
        adversaryInbox[n, default: []].append(e)
    }

    /// A short, exact description of an action for traces (frames by length and FNV-1a hash).
    private func summary(_ action: GossipAction) -> String {
        switch action {
        case let .send(to, bytes):
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return "send \(index[to]!) \(bytes.count) \(h)"
        case let .deliver(e): return "deliver \(e.id)"
        case let .published(e): return "published \(e.id)"
        default: return "\(action)"
        }
    }

    /// The message ID inside a full-message frame (`d1:ed…`), nil for other frames.
    private func messageID(_ bytes: [UInt8]) -> GossipMessageID? {
        guard bytes.starts(with: Array("d1:ed".utf8)), case let .message(e)? = try? GossipFrame(decoding: bytes) else { return nil }
        return e.id
    }
}
