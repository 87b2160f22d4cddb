import Testing
import VeectorWire

/// The example messages of BEP 5 ("DHT Protocol", https://www.bittorrent.org/beps/bep_0005.html,
/// sections "Errors" and "DHT Queries"), byte for byte.
@Suite("KRPC (BEP 5)")
struct KRPCTests {
    let idA = NodeID([UInt8](ascii: "abcdefghij0123456789"))!
    let idM = NodeID([UInt8](ascii: "mnopqrstuvwxyz123456"))!
    let t = [UInt8](ascii: "aa")

    func decode(_ text: String) throws(KRPCDecodeError) -> KRPCMessage { try KRPCMessage(decoding: [UInt8](ascii: text)) }

    func rejection(_ text: String) -> KRPCDecodeError? {
        do { _ = try decode(text); return nil } catch { return error }
    }

    func check(_ message: KRPCMessage, _ wire: String) throws {
        #expect(message.encoded() == [UInt8](ascii: wire))
        #expect(try decode(wire) == message)
    }

    @Test func ping() throws {
        try check(KRPCMessage(transactionID: t, body: .query(.ping(id: idA))),
                  "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")
        try check(KRPCMessage(transactionID: t, body: .response(KRPCResponse(id: idM))),
                  "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re")
    }

    @Test func findNode() throws {
        try check(KRPCMessage(transactionID: t, body: .query(.findNode(id: idA, target: idM))),
                  "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe")
        // BEP 5's reply shows `nodes` as the placeholder "def456..." (9 bytes); real replies carry
        // 26 bytes per node, so the placeholder is rejected, and a real one round-trips.
        #expect(rejection("d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re")
                == KRPCDecodeError(.invalidValue(key: "r.nodes"), transactionID: t))
        let responder = NodeID([UInt8](ascii: "0123456789abcdefghij"))!
        let node = NodeContact(id: idM, address: PeerAddress(ip: IPv4Address(1, 2, 3, 4), port: 6881))
        let message = KRPCMessage(transactionID: t, body: .response(KRPCResponse(id: responder, nodes: [node])))
        let wire = [UInt8](ascii: "d1:rd2:id20:0123456789abcdefghij5:nodes26:mnopqrstuvwxyz123456")
            + [1, 2, 3, 4, 0x1A, 0xE1] + [UInt8](ascii: "e1:t2:aa1:y1:re")
        #expect(message.encoded() == wire)
        #expect(try KRPCMessage(decoding: wire) == message)
    }

    @Test func getPeers() throws {
        try check(KRPCMessage(transactionID: t, body: .query(.getPeers(id: idA, infoHash: idM))),
                  "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe")
        // The reply with peers: BEP 5's "axje.u" and "idhtnm" are 6 bytes each, so they are
        // well-formed compact peers.
        let peers = [PeerAddress(compact: [UInt8](ascii: "axje.u"))!, PeerAddress(compact: [UInt8](ascii: "idhtnm"))!]
        try check(KRPCMessage(transactionID: t, body: .response(KRPCResponse(
                    id: NodeID([UInt8](ascii: "abcdefghij0123456789"))!, values: peers, token: [UInt8](ascii: "aoeusnth")))),
                  "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re")
        #expect(peers[0].description == "97.120.106.101:11893")
        // The reply with closest nodes again uses the 9-byte placeholder.
        #expect(rejection("d1:rd2:id20:abcdefghij01234567895:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re")
                == KRPCDecodeError(.invalidValue(key: "r.nodes"), transactionID: t))
    }

    @Test func announcePeer() throws {
        try check(KRPCMessage(transactionID: t, body: .query(.announcePeer(AnnouncePeerArguments(
                    id: idA, infoHash: idM, port: 6881, impliedPort: true, token: [UInt8](ascii: "aoeusnth"))))),
                  "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")
        try check(KRPCMessage(transactionID: t, body: .query(.announcePeer(AnnouncePeerArguments(
                    id: idA, infoHash: idM, port: 6881, token: [UInt8](ascii: "aoeusnth"))))),
                  "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")
        try check(KRPCMessage(transactionID: t, body: .response(KRPCResponse(id: idM))),
                  "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re")
        // implied_port = 1 without a port is accepted (port 0); explicit implied_port 0 is false.
        let implied = try decode("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234565:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")
        #expect(implied.body == .query(.announcePeer(AnnouncePeerArguments(id: idA, infoHash: idM, port: 0, impliedPort: true, token: [UInt8](ascii: "aoeusnth")))))
    }

    @Test func errors() throws {
        try check(KRPCMessage(transactionID: t, body: .error(KRPCErrorMessage(code: 201, "A Generic Error Ocurred"))),
                  "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")
    }

    @Test func optionalTopLevelFields() throws {
        let message = KRPCMessage(transactionID: [0, 1], body: .response(KRPCResponse(id: idM)),
                                  clientVersion: [UInt8](ascii: "VE01"),
                                  externalAddress: PeerAddress(ip: IPv4Address(100, 128, 0, 1), port: 6881), readOnly: true)
        let wire = message.encoded()
        #expect(wire == [UInt8](ascii: "d2:ip6:") + [100, 128, 0, 1, 0x1A, 0xE1]
                + [UInt8](ascii: "1:rd2:id20:mnopqrstuvwxyz123456e2:roi1e1:t2:") + [0, 1] + [UInt8](ascii: "1:v4:VE011:y1:re"))
        #expect(try KRPCMessage(decoding: wire) == message)
        #expect(message.body != KRPCMessage.Body.query(.ping(id: idA)))
    }

    @Test func unknownKeysAreIgnored() throws {
        let m = try decode("d1:ad2:id20:abcdefghij01234567894:wantl2:n4e5:xtra1i9ee1:q4:ping1:t2:aa1:y1:q3:zzzi1ee")
        #expect(m.body == .query(.ping(id: idA)))
        let r = try decode("d1:rd2:id20:mnopqrstuvwxyz1234566:nodes60:e1:t2:aa1:y1:re")
        #expect(r.body == .response(KRPCResponse(id: idM)))
    }

    @Test func lenientBencodeForPeersThatSortWrongly() throws {
        let unsorted = [UInt8](ascii: "d1:y1:q1:t2:aa1:q4:ping1:ad2:id20:abcdefghij0123456789ee")
        #expect(throws: KRPCDecodeError.self) { try KRPCMessage(decoding: unsorted) }
        let m = try KRPCMessage(decoding: unsorted, decoder: BencodeDecoder(allowUnsortedKeys: true))
        #expect(m.body == .query(.ping(id: idA)))
    }

    @Test func rejectsMalformedMessages() {
        let aa = t
        #expect(rejection("i1e") == KRPCDecodeError(.notADictionary(key: "")))
        #expect(rejection("d1:y1:qe") == KRPCDecodeError(.missingKey("t")))
        #expect(rejection("d1:ti1e1:y1:qe") == KRPCDecodeError(.wrongType(key: "t")))
        #expect(rejection("d1:t2:aae") == KRPCDecodeError(.missingKey("y"), transactionID: aa))
        #expect(rejection("d1:t2:aa1:y1:xe") == KRPCDecodeError(.unknownMessageType([UInt8](ascii: "x")), transactionID: aa))
        #expect(rejection("d1:t2:aa1:y1:qe") == KRPCDecodeError(.missingKey("q"), transactionID: aa))
        #expect(rejection("d1:q4:ping1:t2:aa1:y1:qe") == KRPCDecodeError(.missingKey("a"), transactionID: aa))
        #expect(rejection("d1:ai1e1:q4:ping1:t2:aa1:y1:qe") == KRPCDecodeError(.notADictionary(key: "a"), transactionID: aa))
        #expect(rejection("d1:ade1:q4:ping1:t2:aa1:y1:qe") == KRPCDecodeError(.missingKey("a.id"), transactionID: aa))
        #expect(rejection("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe")
                == KRPCDecodeError(.wrongLength(key: "a.id", expected: 20, got: 3), transactionID: aa))
        let unknown = rejection("d1:ad2:id20:abcdefghij0123456789e1:q4:pong1:t2:aa1:y1:qe")
        #expect(unknown == KRPCDecodeError(.unknownMethod([UInt8](ascii: "pong")), transactionID: aa))
        #expect(unknown?.replyCode == 204)
        #expect(unknown?.errorReply?.encoded() == [UInt8](ascii: "d1:eli204e14:Method Unknowne1:t2:aa1:y1:ee"))
        #expect(rejection("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe")?.errorReply?.body
                == .error(KRPCErrorMessage(code: 203, "Protocol Error: bad a.id")))
        #expect(rejection("d1:y1:qe")?.errorReply == nil)
        #expect(rejection("d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe")
                == KRPCDecodeError(.missingKey("a.target"), transactionID: aa))
        #expect(rejection("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234565:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe")
                == KRPCDecodeError(.missingKey("a.port"), transactionID: aa))
        #expect(rejection("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti65536e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe")
                == KRPCDecodeError(.invalidValue(key: "a.port"), transactionID: aa))
        #expect(rejection("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti-1e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe")?.replyCode == 203)
        #expect(rejection("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti1ee1:q13:announce_peer1:t2:aa1:y1:qe")
                == KRPCDecodeError(.missingKey("a.token"), transactionID: aa))
        #expect(rejection("d1:rde1:t2:aa1:y1:re") == KRPCDecodeError(.missingKey("r.id"), transactionID: aa))
        #expect(rejection("d1:rd2:id20:mnopqrstuvwxyz1234566:valuesl5:abcdeee1:t2:aa1:y1:re")
                == KRPCDecodeError(.wrongLength(key: "r.values", expected: 6, got: 5), transactionID: aa))
        #expect(rejection("d1:rd2:id20:mnopqrstuvwxyz1234566:values6:abcdefe1:t2:aa1:y1:re")
                == KRPCDecodeError(.wrongType(key: "r.values"), transactionID: aa))
        #expect(rejection("d1:rd2:id20:mnopqrstuvwxyz1234565:tokeni1ee1:t2:aa1:y1:re")
                == KRPCDecodeError(.wrongType(key: "r.token"), transactionID: aa))
        #expect(rejection("d1:eli201ee1:t2:aa1:y1:ee") == KRPCDecodeError(.wrongType(key: "e"), transactionID: aa))
        #expect(rejection("d1:e3:abc1:t2:aa1:y1:ee") == KRPCDecodeError(.wrongType(key: "e"), transactionID: aa))
        #expect(rejection("d1:t2:aa1:y1:ee") == KRPCDecodeError(.missingKey("e"), transactionID: aa))
        #expect(rejection("d2:ip3:abc1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re")
                == KRPCDecodeError(.wrongLength(key: "ip", expected: 6, got: 3), transactionID: aa))
        #expect(rejection("d1:t2:aa1:vi1e1:y1:re") == KRPCDecodeError(.wrongType(key: "v"), transactionID: aa))
        if case .bencode(let inner)? = rejection("d1:t2:aa1:y1:re trailing")?.reason {
            #expect(inner.reason == .trailingBytes)
        } else {
            Issue.record("expected a bencode error")
        }
    }

    /// Seeded mutation fuzzing: random byte changes, cuts and insertions into valid messages
    /// never crash the decoder, and whatever it accepts re-encodes to a message it reads back equal.
    @Test func fuzzedMessagesNeverCrash() throws {
        var rng = SplitMix64(seed: 2026)
        let seeds: [[UInt8]] = [
            KRPCMessage(transactionID: t, body: .query(.announcePeer(AnnouncePeerArguments(
                id: idA, infoHash: idM, port: 6881, impliedPort: true, token: [1, 2, 3])))).encoded(),
            KRPCMessage(transactionID: t, body: .response(KRPCResponse(
                id: idM, nodes: [NodeContact(id: idA, address: PeerAddress(ip: IPv4Address(1, 2, 3, 4), port: 1))],
                values: [PeerAddress(ip: IPv4Address(5, 6, 7, 8), port: 2)], token: [9], value: ["a": [1, "b"]],
                publicKey: [UInt8](repeating: 1, count: 32), signature: [UInt8](repeating: 2, count: 64), seq: 3)),
                externalAddress: PeerAddress(ip: IPv4Address(9, 9, 9, 9), port: 9)).encoded(),
            KRPCMessage(transactionID: t, body: .error(KRPCErrorMessage(code: 201, "x"))).encoded(),
        ]
        var accepted = 0
        for seed in seeds {
            for _ in 0..<1500 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes[i] = [UInt8](ascii: "0123456789ilde:").randomElement(using: &rng)!
                    case 2: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...8, using: &rng)))
                    default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                    }
                }
                guard let m = try? KRPCMessage(decoding: bytes) else { continue }
                accepted += 1
                #expect(try KRPCMessage(decoding: m.encoded()) == m)
            }
        }
        #expect(accepted > 0)
    }
}
