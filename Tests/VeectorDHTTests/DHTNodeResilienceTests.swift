import Testing
import VeectorWire
@testable import VeectorDHT

@Suite("DHTNode: failures, floods, determinism")
struct DHTNodeResilienceTests {
    /// A node dies: lookups for its ID end at the live nodes closest to it, lookups elsewhere
    /// still find their targets, and nodes that queried it count it as failing.
    @Test func killedNodeIsRoutedAround() throws {
        let size = 80
        var net = try DHTTestNetwork.bootstrapped(size: size, seed: 11)
        let victim = 33
        net.dead.insert(victim)
        let victimID = net.nodes[victim].ownID
        let live = (0..<size).filter { $0 != victim }
        var lookups: [(Int, DHTCommandID, NodeID)] = []
        for i in live {
            let other = live[(i * 7 + 3) % live.count]
            lookups.append((i, net.command(i, .findNode(victimID)), victimID))
            if other != i { lookups.append((i, net.command(i, .findNode(net.nodes[other].ownID)), net.nodes[other].ownID)) }
        }
        try net.complete(lookups.map { ($0.0, $0.1) })
        var nearest = 0, foundOthers = 0, others = 0
        for (i, id, target) in lookups {
            guard case let .nodes(result)? = net.result(i, id) else { Issue.record("lookup failed"); continue }
            #expect(!result.closest.contains { $0.contact.id == victimID })
            if target == victimID {
                let truth = live.filter { $0 != i }.map { net.nodes[$0].ownID }.min { $0.isCloser(to: victimID, than: $1) }
                if result.closest.first?.contact.id == truth { nearest += 1 }
            } else {
                others += 1
                if result.closest.first?.contact.id == target { foundOthers += 1 }
            }
        }
        #expect(nearest == live.count)
        #expect(foundOthers == others)
        // Whoever still lists the dead node has counted its failures (it is bad or on its way out).
        let holders = live.filter { net.nodes[$0].routingTable.entry(for: victimID) != nil }
        let failing = holders.filter { (net.nodes[$0].routingTable.entry(for: victimID)?.failures ?? 0) > 0 }
        print("DHTNode, \(size) nodes, one killed: nearest live node found in \(nearest)/\(live.count) lookups for it; \(failing.count)/\(holders.count) tables still listing it count its failures")
        #expect(failing.count == holders.count)
    }

    /// One address sends 1000 pings a second for 10 s at node 0: the limiter drops all but its
    /// allowance, while every other node's lookups through node 0 still succeed.
    @Test func floodFromOneAddressIsLimited() throws {
        let size = 40
        var net = try DHTTestNetwork.bootstrapped(size: size, seed: 13)
        let attacker = PeerAddress(ip: IPv4Address(10, 250, 0, 1), port: 6666)
        let start = net.now
        let before = net.nodes[0].stats
        for k in 0..<10_000 {
            let ping = KRPCMessage(transactionID: [UInt8(k & 0xFF), UInt8(k >> 8)], body: .query(.ping(id: NodeID.random(using: &net.rng))))
            net.inject(ping.encoded(), from: attacker, to: 0, at: start.advanced(by: .milliseconds(k)))
        }
        var lookups: [(Int, DHTCommandID, NodeID)] = []
        for i in 1..<size {
            let target = net.nodes[0].ownID
            lookups.append((i, net.command(i, .findNode(target)), target))
        }
        try net.complete(lookups.map { ($0.0, $0.1) })
        net.run(to: start.advanced(by: .seconds(11)))
        let found = lookups.filter { (i, id, target) in
            if case let .nodes(r)? = net.result(i, id) { r.closest.first?.contact.id == target } else { false }
        }.count
        let stats = net.nodes[0].stats
        let dropped = stats.droppedRateLimited - before.droppedRateLimited
        let answered = net.outside[DHTTestNetwork.OutsideKey(node: 0, to: attacker)] ?? 0
        print("DHTNode flood: 10000 pings in 10 s from one address, \(dropped) dropped by the rate limit, \(answered) answered; \(found)/\(size - 1) lookups for node 0 found it")
        #expect(answered <= 100 + 50 * 10 + 1)
        #expect(dropped >= 10_000 - answered)
        #expect(found == size - 1)
        // One endpoint holds at most one routing-table slot however many IDs it claims.
        #expect(net.nodes[0].routingTable.allEntries.filter { $0.contact.address == attacker }.count <= 1)
    }

    /// Same seed, same trace of every action of every node; another seed differs.
    @Test func sameSeedSameTrace() throws {
        func trace(seed: UInt64) throws -> [DHTAction] {
            var net = DHTTestNetwork(seed: seed)
            net.recording = true
            for _ in 0..<30 { net.addNode() }
            var ids: [(Int, DHTCommandID)] = []
            for i in 1..<30 { ids.append((i, net.command(i, .bootstrap([net.addresses[0]])))) }
            try net.complete(ids)
            ids = (0..<30).map { ($0, net.command($0, .findNode(net.nodes[($0 + 5) % 30].ownID))) }
            ids.append((3, net.command(3, .putImmutable("hello"))))
            try net.complete(ids)
            net.run(to: net.now.advanced(by: .seconds(120)))   // maintenance and refresh too
            return net.trace.map(\.action)
        }
        let a = try trace(seed: 5), b = try trace(seed: 5), c = try trace(seed: 6)
        #expect(a.count > 1000)
        #expect(a == b)
        #expect(a != c)
    }
}
