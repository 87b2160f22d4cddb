import VeectorWire
@testable import VeectorDHT

/// A tiny deterministic DHT network for tests: `size` nodes at 10.x.y.z, each with its own full
/// `RoutingTable` (every other node offered to it in a random order), answering find_node and
/// get_peers from that table. Messages go through the real KRPC encoder and decoder.
struct SimulatedNetwork {
    /// Every node.
    var nodes: [NodeContact]
    /// Each node's routing table, by address.
    var tables: [PeerAddress: RoutingTable] = [:]
    /// Nodes that never answer.
    var silent: Set<PeerAddress> = []
    /// Peers announced per info-hash (held by whichever node is asked).
    var announced: [NodeID: [PeerAddress]] = [:]

    init(size: Int, silentFraction: Double = 0, rng: inout SeededRNG) throws {
        nodes = (0..<size).map { i in
            NodeContact(id: NodeID.random(using: &rng),
                        address: PeerAddress(ip: IPv4Address(10, 0, UInt8(i >> 8), UInt8(i & 0xFF)), port: 6881))
        }
        let config = RoutingTableConfiguration(enforceBEP42: false)
        for node in nodes {
            var table = RoutingTable(ownID: node.id, configuration: config)
            for other in nodes.shuffled(using: &rng) where other != node { try table.insert(other, now: .zero) }
            tables[node.address] = table
        }
        let silentCount = Int(Double(size) * silentFraction)
        silent = Set(nodes.shuffled(using: &rng).prefix(silentCount).map(\.address))
    }

    /// The `count` nodes closest to `target` among `candidates`, by brute force.
    static func trueClosest(to target: NodeID, among candidates: [NodeContact], count: Int) -> [NodeID] {
        candidates.map { ($0.id.distance(to: target), $0.id) }.sorted { $0.0 < $1.0 }.prefix(count).map(\.1)
    }

    /// When true, nodes learn: a node answering a query inserts the querier into its table, and
    /// the origin of a lookup run by `run(_:origin:rng:)` inserts every node that replies.
    var learning = false

    /// Builds a network the way a real one forms: node 0 alone, then each newcomer knows only node 0
    /// and runs a find_node lookup for its own ID, tables growing from the traffic alone.
    static func joined(size: Int, rng: inout SeededRNG) throws -> SimulatedNetwork {
        var net = try SimulatedNetwork(size: 0, rng: &rng)
        net.learning = true
        let config = RoutingTableConfiguration(enforceBEP42: false)
        for i in 0..<size {
            let node = NodeContact(id: NodeID.random(using: &rng),
                                   address: PeerAddress(ip: IPv4Address(10, 0, UInt8(i >> 8), UInt8(i & 0xFF)), port: 6881))
            var table = RoutingTable(ownID: node.id, configuration: config)
            if let bootstrap = net.nodes.first { try table.insert(bootstrap, now: .zero) }
            net.nodes.append(node)
            net.tables[node.address] = table
            var lookup = net.lookup(from: node, target: node.id)
            _ = net.run(&lookup, origin: node, rng: &rng)
        }
        return net
    }

    /// The reply `address` sends to a query datagram from `sender` (nil if silent or unparseable).
    mutating func answer(_ datagram: [UInt8], from sender: PeerAddress, at address: PeerAddress, now: Instant) -> [UInt8]? {
        guard !silent.contains(address), var table = tables[address],
              let message = try? KRPCMessage(decoding: datagram), case let .query(q) = message.body else { return nil }
        if learning {
            _ = try? table.insert(NodeContact(id: q.senderID, address: sender), now: now)
            tables[address] = table
        }
        let reply: KRPCResponse
        switch q {
        case let .findNode(_, target):
            reply = KRPCResponse(id: table.ownID, nodes: table.closest(to: target, count: 8, now: now))
        case let .getPeers(_, infoHash):
            let peers = announced[infoHash]
            reply = KRPCResponse(id: table.ownID, nodes: peers == nil ? table.closest(to: infoHash, count: 8, now: now) : nil,
                                 values: peers, token: Array(table.ownID.bytes.prefix(4)))
        default:
            return KRPCMessage(transactionID: message.transactionID,
                               body: .error(KRPCErrorMessage(code: KRPCErrorMessage.methodUnknownCode, "unsupported"))).encoded()
        }
        return KRPCMessage(transactionID: message.transactionID, body: .response(reply)).encoded()
    }

    /// Runs `lookup` to completion with a discrete-event loop: each answered query comes back after
    /// a random 5-50 ms, timers fire at their instants. Returns the result, every action the
    /// lookup emitted, and the virtual time it took.
    mutating func run(_ lookup: inout Lookup, origin: NodeContact, rng: inout SeededRNG) -> (result: LookupResult, actions: [LookupAction], elapsed: Instant) {
        var queue: [(at: Instant, seq: Int, event: LookupEvent)] = []
        var seq = 0, now = Instant.zero, log: [LookupAction] = []
        var actions = lookup.handle(.start, now: now, rng: &rng)
        while true {
            log += actions
            for action in actions {
                switch action {
                case let .send(message, to):
                    guard let bytes = answer(message.encoded(), from: origin.address, at: to, now: now),
                          let reply = try? KRPCMessage(decoding: bytes) else { continue }
                    let latency = Duration.milliseconds(Int.random(in: 5...50, using: &rng))
                    queue.append((now.advanced(by: latency), seq, .response(from: to, message: reply)))
                    seq += 1
                case let .setTimer(id, at):
                    queue.append((at, seq, .timeout(transactionID: id)))
                    seq += 1
                case let .finished(result):
                    return (result, log, now)
                }
            }
            guard let next = queue.indices.min(by: { (queue[$0].at, queue[$0].seq) < (queue[$1].at, queue[$1].seq) }) else {
                fatalError("lookup stalled with nothing scheduled")
            }
            let item = queue.remove(at: next)
            now = item.at
            if learning, case let .response(from, message) = item.event, case let .response(r) = message.body {
                _ = try? tables[origin.address]!.insert(NodeContact(id: r.id, address: from), now: now)
            }
            actions = lookup.handle(item.event, now: now, rng: &rng)
        }
    }

    /// A find_node lookup from `origin` toward `target`, seeded from the origin's own table.
    func lookup(from origin: NodeContact, target: NodeID, kind: LookupKind = .findNode) -> Lookup {
        let seeds = tables[origin.address]!.closest(to: target, count: 8, now: .zero)
        return Lookup(ownID: origin.id, target: target, kind: kind, seeds: seeds)
    }
}
