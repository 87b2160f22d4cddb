import Testing
import VeectorWire
@testable import VeectorDHT

/// One node answering hand-made datagrams, as a remote client would send them.
@Suite("DHTNode: answering queries")
struct DHTNodeAnswerTests {
    static let client = PeerAddress(ip: IPv4Address(192, 168, 1, 20), port: 40000)
    static let clientID = NodeID([UInt8](repeating: 0xAB, count: 20))!

    /// A node and an RNG, and a way to send it one message and read the one reply.
    struct Harness {
        var node: DHTNode
        var rng = SeededRNG(seed: 99)
        var now = Instant.seconds(1)

        init(configuration: DHTConfiguration = DHTConfiguration()) {
            var rng = SeededRNG(seed: 98)
            node = DHTNode(ownID: NodeID([UInt8](repeating: 0x11, count: 20))!, configuration: configuration, now: .zero, rng: &rng)
        }

        /// Sends raw bytes; returns the datagrams sent back to `from`.
        mutating func send(_ bytes: [UInt8], from: PeerAddress = DHTNodeAnswerTests.client) -> [KRPCMessage] {
            node.handle(.datagram(from: from, bytes: bytes), now: now, rng: &rng).compactMap { action in
                guard case let .send(to, bytes) = action, to == from else { return nil }
                return try? KRPCMessage(decoding: bytes)
            }
        }

        /// Sends a query; returns the single reply body.
        mutating func ask(_ query: KRPCQuery, t: [UInt8] = [1, 2], from: PeerAddress = DHTNodeAnswerTests.client) throws -> KRPCMessage.Body {
            let replies = send(KRPCMessage(transactionID: t, body: .query(query)).encoded(), from: from)
            try #require(replies.count == 1)
            #expect(replies[0].transactionID == t)
            #expect(replies[0].externalAddress == from)   // BEP 42: the querier's address as we see it
            return replies[0].body
        }
    }

    static func code(_ body: KRPCMessage.Body) -> Int64? {
        if case let .error(e) = body { e.code } else { nil }
    }

    @Test func pingAndFindNodeAnswerAndLearnTheSender() throws {
        var h = Harness()
        guard case let .response(r) = try h.ask(.ping(id: Self.clientID)) else { Issue.record("no reply"); return }
        #expect(r.id == h.node.ownID)
        #expect(h.node.routingTable.entry(for: Self.clientID)?.contact.address == Self.client)
        guard case let .response(f) = try h.ask(.findNode(id: Self.clientID, target: .zero)) else { Issue.record("no reply"); return }
        #expect(f.nodes == [NodeContact(id: Self.clientID, address: Self.client)])
    }

    /// get_peers hands out a token bound to the address; announce_peer needs it; implied_port works.
    @Test func announceNeedsTheTokenAndHonoursImpliedPort() throws {
        var h = Harness()
        let infoHash = NodeID([UInt8](repeating: 0x42, count: 20))!
        guard case let .response(first) = try h.ask(.getPeers(id: Self.clientID, infoHash: infoHash)),
              let token = first.token else { Issue.record("no token"); return }
        #expect(first.values == nil)
        // Wrong token, or the right token from another address: 203.
        #expect(Self.code(try h.ask(.announcePeer(AnnouncePeerArguments(id: Self.clientID, infoHash: infoHash, port: 7000, token: [0, 0, 0, 0, 0, 0, 0, 0])))) == 203)
        let other = PeerAddress(ip: IPv4Address(192, 168, 1, 21), port: 40000)
        #expect(Self.code(try h.ask(.announcePeer(AnnouncePeerArguments(id: Self.clientID, infoHash: infoHash, port: 7000, token: token)), from: other)) == 203)
        // Right token: listed under the given port, then under the source port with implied_port.
        guard case .response = try h.ask(.announcePeer(AnnouncePeerArguments(id: Self.clientID, infoHash: infoHash, port: 7000, token: token))) else {
            Issue.record("announce refused"); return
        }
        guard case .response = try h.ask(.announcePeer(AnnouncePeerArguments(id: Self.clientID, infoHash: infoHash, port: 1, impliedPort: true, token: token))) else {
            Issue.record("announce refused"); return
        }
        guard case let .response(second) = try h.ask(.getPeers(id: Self.clientID, infoHash: infoHash)) else { Issue.record("no reply"); return }
        #expect(Set(second.values ?? []) == [PeerAddress(ip: Self.client.ip, port: 7000), Self.client])
        // Tokens die after two rotations (5-10 minutes).
        h.now = .seconds(11 * 60)
        #expect(Self.code(try h.ask(.announcePeer(AnnouncePeerArguments(id: Self.clientID, infoHash: infoHash, port: 7000, token: token)))) == 203)
    }

    /// BEP 44 get/put: token check, store errors as KRPC errors, `seq` omits a value not newer.
    @Test func getAndPutFollowBEP44() throws {
        var h = Harness()
        let seed = [UInt8](repeating: 7, count: 32)
        let v1 = try #require(MutableItem.signed(value: "first", seq: 1, salt: Array("s".utf8), seed: seed))
        let v2 = try #require(MutableItem.signed(value: "second", seq: 2, salt: Array("s".utf8), seed: seed))
        guard case let .response(g) = try h.ask(.get(GetArguments(id: Self.clientID, target: v1.target))), let token = g.token else {
            Issue.record("no token"); return
        }
        #expect(g.value == nil && g.seq == nil)
        #expect(Self.code(try h.ask(.put(PutArguments(id: Self.clientID, token: [9], item: .mutable(v1))))) == 203)
        var forged = v1
        forged.value = "forged"
        #expect(Self.code(try h.ask(.put(PutArguments(id: Self.clientID, token: token, item: .mutable(forged))))) == 206)
        guard case .response = try h.ask(.put(PutArguments(id: Self.clientID, token: token, item: .mutable(v2)))) else {
            Issue.record("put refused"); return
        }
        #expect(Self.code(try h.ask(.put(PutArguments(id: Self.clientID, token: token, item: .mutable(v1))))) == 302)
        #expect(Self.code(try h.ask(.put(PutArguments(id: Self.clientID, token: token, item: .mutable(v2), cas: 1)))) == 301)
        guard case let .response(full) = try h.ask(.get(GetArguments(id: Self.clientID, target: v1.target))) else { Issue.record("no reply"); return }
        #expect(full.mutableItem(salt: Array("s".utf8)) == v2)
        guard case let .response(current) = try h.ask(.get(GetArguments(id: Self.clientID, target: v1.target, seq: 2))) else { Issue.record("no reply"); return }
        #expect(current.seq == 2 && current.value == nil && current.signature == nil)
        guard case let .response(older) = try h.ask(.get(GetArguments(id: Self.clientID, target: v1.target, seq: 1))) else { Issue.record("no reply"); return }
        #expect(older.value == "second")
    }

    /// Malformed queries with a readable `t` get 203 (204 for an unknown method); garbage, and
    /// malformed replies, get silence.
    @Test func malformedQueriesGetErrorsAndGarbageGetsSilence() throws {
        var h = Harness()
        let unknown: BencodeValue = ["t": "xy", "y": "q", "q": "vote", "a": ["id": .bytes(Self.clientID.bytes)]]
        let replies = h.send(unknown.encoded())
        #expect(replies.count == 1 && replies.first.map { Self.code($0.body) } == 204)
        #expect(replies.first?.transactionID == Array("xy".utf8))
        let shortID: BencodeValue = ["t": "ab", "y": "q", "q": "ping", "a": ["id": "short"]]
        #expect(h.send(shortID.encoded()).map { Self.code($0.body) } == [203])
        let noArgs: BencodeValue = ["t": "ab", "y": "q", "q": "find_node"]
        #expect(h.send(noArgs.encoded()).map { Self.code($0.body) } == [203])
        let badReply: BencodeValue = ["t": "ab", "y": "r", "r": ["id": "short"]]
        #expect(h.send(badReply.encoded()).isEmpty)
        #expect(h.send(Array("d1:t2:ab1:y1:q".utf8)).isEmpty)
        #expect(h.send([]).isEmpty)
        // A well-formed reply nobody asked for is dropped and counted.
        let unsolicited = KRPCMessage(transactionID: [7, 7], body: .response(KRPCResponse(id: Self.clientID)))
        #expect(h.send(unsolicited.encoded()).isEmpty)
        let stats = h.node.stats
        #expect(stats.droppedMalformed == 6)
        #expect(stats.droppedUnsolicited == 1)
        #expect(stats.errorsOut == 3)
    }

    /// A read-only node (BEP 43) answers nothing and marks its queries `ro`.
    @Test func readOnlyNodeStaysSilent() throws {
        var h = Harness(configuration: DHTConfiguration(readOnly: true))
        #expect(h.send(KRPCMessage(transactionID: [1], body: .query(.ping(id: Self.clientID))).encoded()).isEmpty)
        #expect(h.node.stats.droppedReadOnly == 1)
        let actions = h.node.handle(.command(1, .ping(Self.client)), now: h.now, rng: &h.rng)
        let sent = actions.compactMap { if case let .send(_, b) = $0 { try? KRPCMessage(decoding: b) } else { nil } }
        #expect(sent.count == 1 && sent[0].readOnly)
    }
}
