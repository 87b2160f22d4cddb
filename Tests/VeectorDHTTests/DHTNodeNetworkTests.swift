import Testing
import VeectorWire
@testable import VeectorDHT

@Suite("DHTNode: networks of real nodes")
struct DHTNodeNetworkTests {
    /// 200 nodes join through one; every node then finds every other node's ID as the closest
    /// result, every node gets a peer announced by one node and a mutable item stored by another.
    @Test func twoHundredNodesBootstrapFindAnnounceAndStore() throws {
        let size = 200
        var net = try DHTTestNetwork.bootstrapped(size: size, seed: 7)
        let tables = net.nodes.map(\.routingTable.count)
        var found = 0, queries = 0
        for round in 1..<size {
            var batch: [(Int, DHTCommandID, NodeID)] = []
            for i in 0..<size {
                let target = net.nodes[(i + round) % size].ownID
                batch.append((i, net.command(i, .findNode(target)), target))
            }
            try net.complete(batch.map { ($0.0, $0.1) })
            for (i, id, target) in batch {
                guard case let .nodes(result)? = net.result(i, id) else {
                    print("lookup \(i) → \(target) did not finish with nodes: \(String(describing: net.result(i, id)))")
                    continue
                }
                if result.closest.first?.contact.id == target {
                    found += 1
                } else {
                    let holders = (0..<size).filter { net.nodes[$0].routingTable.entry(for: target) != nil }.count
                    print("lookup \(i) → \(target) missed: first \(String(describing: result.closest.first?.contact.id)), \(result.queries) queries, \(result.failures) failures, \(result.closest.count) closest; \(holders) tables hold the target; origin's stats \(net.nodes[i].stats)")
                }
                queries += result.queries
            }
        }
        let lookups = size * (size - 1)
        print("DHTNode, \(size) nodes bootstrapped through one (tables \(tables.min()!)-\(tables.max()!) nodes): \(found)/\(lookups) find_node lookups found the target node first, \(Double(queries) / Double(lookups)) queries on average")
        #expect(found == lookups)

        // Node 17 announces itself for an info-hash; node 42 stores a signed mutable item.
        let infoHash = NodeID.random(using: &net.rng)
        let announce = net.command(17, .announce(infoHash: infoHash, port: .port(7777)))
        let item = try #require(MutableItem.signed(value: ["endpoint": "10.0.0.42:7000"], seq: 3, salt: Array("device".utf8),
                                                   seed: [UInt8](repeating: 42, count: 32)))
        let put = net.command(42, .putMutable(item))
        try net.complete([(17, announce), (42, put)])
        guard case let .stored(announced)? = net.result(17, announce), case let .stored(stored)? = net.result(42, put) else {
            Issue.record("store failed: \(String(describing: net.result(17, announce))) \(String(describing: net.result(42, put)))")
            return
        }
        #expect(announced.stored == 8 && stored.stored == 8)

        var peers = 0, items = 0
        var gets: [(Int, DHTCommandID, DHTCommandID)] = []
        for i in 0..<size {
            gets.append((i, net.command(i, .getPeers(infoHash: infoHash)), net.command(i, .getItem(target: item.target, salt: Array("device".utf8)))))
        }
        try net.complete(gets.flatMap { [($0.0, $0.1), ($0.0, $0.2)] })
        for (i, p, g) in gets {
            if case let .peers(result)? = net.result(i, p), result.peers.contains(PeerAddress(ip: net.addresses[17].ip, port: 7777)) { peers += 1 }
            if case let .item(found, _)? = net.result(i, g), found == .mutable(item) { items += 1 }
        }
        print("DHTNode, \(size) nodes: announce stored on \(announced.stored), item on \(stored.stored); \(peers)/\(size) got the peer, \(items)/\(size) got the item")
        #expect(peers == size)
        #expect(items == size)
    }
}
