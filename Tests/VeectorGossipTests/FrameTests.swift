import Testing
import VeectorGossip
import VeectorWire

@Suite("Gossip frames")
struct FrameTests {
    let id = try! GossipMessageID(digest: Array(repeating: 0xAB, count: 32))

    @Test("every frame kind round-trips")
    func roundTrip() throws {
        let frames: [GossipFrame] = [
            .ihave("a", [id]), .graft("a", []), .graft("a", [id, id]), .prune("b"),
            .subscribe(["a", "b"]), .unsubscribe(["c"]), .message(try EnvelopeTests.vectorEnvelope()),
        ]
        for f in frames { #expect(try GossipFrame(decoding: f.encoded()) == f) }
    }

    @Test("malformed frames get typed errors naming the field")
    func errors() throws {
        func decode(_ v: BencodeValue) throws(GossipWireError) -> GossipFrame { try GossipFrame(decoding: v.encoded()) }
        #expect(throws: GossipWireError.frameTooLarge(bytes: 11, limit: 10)) {
            try GossipFrame(decoding: Array(repeating: 0x30, count: 11), limit: 10)
        }
        #expect(throws: GossipWireError.unsupportedVersion(2)) { try decode(["v": 2, "y": "p", "t": "a"]) }
        #expect(throws: GossipWireError.unknownKind(Array("z".utf8))) { try decode(["v": 1, "y": "z"]) }
        #expect(throws: GossipWireError.missingField("t")) { try decode(["v": 1, "y": "p"]) }
        #expect(throws: GossipWireError.unexpectedField("x")) { try decode(["v": 1, "y": "p", "t": "a", "x": 1]) }
        #expect(throws: GossipWireError.invalidField("i", reason: "must hold 1…64 items, got 0")) {
            try decode(["v": 1, "y": "h", "t": "a", "i": []])
        }
        #expect(throws: GossipWireError.invalidField("i[0]", reason: "a message ID must be 32 bytes")) {
            try decode(["v": 1, "y": "h", "t": "a", "i": ["short"]])
        }
        let ids = BencodeValue.list(Array(repeating: .bytes(id.digest), count: 65))
        #expect(throws: GossipWireError.invalidField("i", reason: "must hold 0…64 items, got 65")) {
            try decode(["v": 1, "y": "g", "t": "a", "i": ids])
        }
        var e = try EnvelopeTests.vectorEnvelope().bencode.dictionaryValue!
        e[Array("s".utf8)] = .integer(-1)
        #expect(throws: GossipWireError.invalidField("e.s", reason: "must be in 0…\(Int64.max), got -1")) {
            try decode(["v": 1, "y": "m", "e": .dictionary(e)])
        }
        e[Array("s".utf8)] = .integer(7)
        e[Array("n".utf8)] = .integer(3)
        #expect(throws: GossipWireError.invalidField("e.n", reason: "says 3 bytes but the inline payload has 13")) {
            try decode(["v": 1, "y": "m", "e": .dictionary(e)])
        }
        do {
            _ = try GossipFrame(decoding: Array("d1:vi01ee".utf8))
            Issue.record("non-canonical bencode accepted")
        } catch {
            guard case .malformedBencode = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.contains("canonical"))
        }
    }
}
