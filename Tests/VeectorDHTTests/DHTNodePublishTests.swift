import Testing
import VeectorWire
@testable import VeectorDHT

@Suite("DHTNode: publishing and snapshots")
struct DHTNodePublishTests {
    /// Owned records are republished on schedule, so they outlive the stores' lifetimes
    /// (30 min for peers, 2 h for items); an unpublished one lapses.
    @Test func ownedRecordsAreRepublishedAndOutliveTheirLifetime() throws {
        var net = try DHTTestNetwork.bootstrapped(size: 30, seed: 21)
        let infoHash = NodeID.random(using: &net.rng)
        let a = net.command(4, .publish(.announce(infoHash: infoHash, port: .implied)))
        let b = net.command(5, .publish(.immutable(["doc": "hello"])))
        let c = net.command(6, .announce(infoHash: NodeID.random(using: &net.rng), port: .port(9)))   // once, not owned
        try net.complete([(4, a), (5, b), (6, c)])
        guard case let .stored(first)? = net.result(4, a) else { Issue.record("publish failed"); return }
        #expect(first.stored > 0)
        #expect(net.nodes[4].ownedRecords.count == 1)
        // Three hours later (every node's timers running all along) both are still found.
        net.run(to: net.now.advanced(by: .seconds(3 * 3600)))
        let peers = net.command(20, .getPeers(infoHash: infoHash))
        let item = net.command(21, .getItem(target: BEP44.immutableTarget(value: ["doc": "hello"])))
        try net.complete([(20, peers), (21, item)])
        guard case let .peers(p)? = net.result(20, peers) else { Issue.record("get_peers failed"); return }
        #expect(p.peers == [net.addresses[4]])   // implied port: the UDP source port
        #expect(net.result(21, item).map { if case let .item(found, _) = $0 { found == .immutable(["doc": "hello"]) } else { false } } == true)
        // Unpublished: gone once the peer lifetime has passed.
        let u = net.command(4, .unpublish(target: infoHash))
        try net.complete([(4, u)])
        #expect(net.result(4, u) == .unpublished(wasPublished: true))
        net.run(to: net.now.advanced(by: .seconds(31 * 60)))
        let again = net.command(20, .getPeers(infoHash: infoHash))
        try net.complete([(20, again)])
        guard case let .peers(q)? = net.result(20, again) else { Issue.record("get_peers failed"); return }
        #expect(q.peers.isEmpty)
    }

    /// A publish of a bad item fails locally with the BEP 44 reason.
    @Test func invalidItemsAreRefusedLocally() throws {
        var net = DHTTestNetwork(seed: 22)
        let n = net.addNode()
        var item = try #require(MutableItem.signed(value: "v", seq: 1, seed: [UInt8](repeating: 1, count: 32)))
        item.seq = 2
        let id = net.command(n, .putMutable(item))
        let big = net.command(n, .publish(.immutable(.bytes([UInt8](repeating: 0, count: 1200)))))
        try net.complete([(n, id), (n, big)])
        #expect(net.result(n, id) == .failed(.invalidItem(.invalidSignature)))
        #expect(net.result(n, big) == .failed(.invalidItem(.valueTooBig)))
        #expect(net.nodes[n].ownedRecords.isEmpty)
    }

    /// snapshot() → init(snapshot:) keeps the table's nodes and the owned records; damage is a
    /// typed error naming the field.
    @Test func snapshotRoundTripsAndDamageIsReported() throws {
        var net = try DHTTestNetwork.bootstrapped(size: 20, seed: 23)
        let item = try #require(MutableItem.signed(value: "mine", seq: 5, salt: [7], seed: [UInt8](repeating: 2, count: 32)))
        let records: [DHTRecord] = [.announce(infoHash: NodeID.random(using: &net.rng), port: .port(4000)),
                                    .announce(infoHash: NodeID.random(using: &net.rng), port: .implied),
                                    .immutable(["k": "v"]), .mutable(item)]
        let ids = records.map { net.command(3, .publish($0)) }
        try net.complete(ids.map { (3, $0) })
        let node = net.nodes[3]
        let bytes = node.snapshot()
        var rng = SeededRNG(seed: 1)
        let restored = try DHTNode(ownID: node.ownID, snapshot: bytes, now: .seconds(5), rng: &rng)
        #expect(Set(restored.routingTable.allEntries.map(\.contact)) == Set(node.routingTable.allEntries.map(\.contact)))
        #expect(restored.ownedRecords == records)
        #expect(restored.snapshot() == bytes)

        func problem(_ b: [UInt8]) -> String? {
            var r = SeededRNG(seed: 1)
            do { _ = try DHTNode(ownID: node.ownID, snapshot: b, now: .zero, rng: &r); return nil } catch { return error.field }
        }
        #expect(problem(Array(bytes.dropLast())) == "(top)")
        var dict = try BencodeValue(decoding: bytes).dictionaryValue!
        dict[Array("version".utf8)] = 9
        #expect(problem(BencodeValue.dictionary(dict).encoded()) == "version")
        dict[Array("version".utf8)] = 1
        var owned = dict[Array("owned".utf8)]!.listValue!
        var bad = owned[3].dictionaryValue!
        bad[Array("seq".utf8)] = 6   // the signature no longer covers it
        owned[3] = .dictionary(bad)
        dict[Array("owned".utf8)] = .list(owned)
        #expect(problem(BencodeValue.dictionary(dict).encoded()) == "owned[3]")
    }
}
