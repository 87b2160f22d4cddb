import ContentID
import Testing
import VeectorCrypto
import VeectorGossip
import VeectorWire

@Suite("Gossip envelope")
struct EnvelopeTests {
    static let seed = Array(1...32).map(UInt8.init)

    /// The envelope of the spec's test vector.
    static func vectorEnvelope() throws -> GossipEnvelope {
        try GossipEnvelope.sign(SigningKeyPair(seed: seed), topic: "announce", sequence: 7,
                                timestamp: 1_700_000_000_000, payload: .inline(Array("hello veector".utf8)))
    }

    @Test("test vector: fixed seed gives exact frame bytes and envelope ID (Spec/gossip.md)")
    func vector() throws {
        let e = try Self.vectorEnvelope()
        let frame = GossipFrame.message(e).encoded()
        print("vector frame hex: \(hexString(frame))")
        print("vector id: \(e.id) digest \(hexString(e.id.digest)) public key \(hexString(e.author.publicKey))")
        #expect(hexString(frame) == Self.expectedFrameHex)
        #expect(e.id.description == Self.expectedID)
        #expect(e.hasValidSignature && e.payloadMatchesCID)
    }

    static let expectedFrameHex = "64313a6564313a6133323a79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664313a6333363a015512202fe3300b0499928f008c9f02e16791c916a4485e304fbbaace25465f05982b3e313a6e69313365313a7031333a68656c6c6f2076656563746f72313a73693765333a73696736343a53a2de363c11f181aef7f91eb8b927e92576e9294271e8fe8be519d7cabbbe4cf62df0b5a9d1c1c784bb63c8f3a52a43ed9fd03366f4fff2156c4ecbeb0ae403313a74383a616e6e6f756e6365323a7473693137303030303030303030303065313a7669316565313a76693165313a79313a6d65"
    static let expectedID = "bafkreihtxulqvohpkiw6ezqzlpjmsw2yjs226sqo64o7dpz23dedn4shxm"

    @Test("round trip through a frame keeps every field, the ID and the signature valid")
    func roundTrip() throws {
        let keys = try SigningKeyPair(seed: Self.seed)
        let pointer = CID.sha256(of: Array(repeating: 7, count: 1000))
        for payload in [GossipPayload.inline([]), .inline(Array("x".utf8)), .pointer(pointer, length: 1000)] {
            let e = try GossipEnvelope.sign(keys, topic: "model/x/improvements", sequence: 3, timestamp: 42, payload: payload)
            guard case let .message(back) = try GossipFrame(decoding: GossipFrame.message(e).encoded()) else {
                Issue.record("not a message frame"); continue
            }
            #expect(back == e)
            #expect(back.id == e.id)
            #expect(back.payload == payload)
            #expect(back.hasValidSignature)
        }
    }

    @Test("any change to a signed field breaks the signature or the payload check")
    func tamper() throws {
        let e = try Self.vectorEnvelope()
        let dict = e.bencode.dictionaryValue!
        let changes: [(String, BencodeValue)] = [
            ("s", .integer(8)), ("ts", .integer(1_700_000_000_001)), ("t", "other"),
            ("a", .bytes(try SigningKeyPair(seed: Array(repeating: 9, count: 32)).publicKey)),
        ]
        for (key, value) in changes {
            var d = dict
            d[Array(key.utf8)] = value
            let forged = try GossipEnvelope(bencode: .dictionary(d))
            #expect(!forged.hasValidSignature, "changing \(key) kept the signature valid")
            #expect(forged.id != e.id)
        }
        var d = dict
        d[Array("p".utf8)] = .bytes(Array("hello VEECTOR".utf8))
        let swapped = try GossipEnvelope(bencode: .dictionary(d))
        #expect(!swapped.payloadMatchesCID)
        #expect(!swapped.hasValidSignature)
    }

    @Test("republishing the same content gives the same ID; a new sequence gives a new one")
    func contentAddressed() throws {
        let a = try Self.vectorEnvelope(), b = try Self.vectorEnvelope()
        #expect(a.id == b.id)
        let keys = try SigningKeyPair(seed: Self.seed)
        let c = try GossipEnvelope.sign(keys, topic: "announce", sequence: 8, timestamp: 1_700_000_000_000,
                                        payload: .inline(Array("hello veector".utf8)))
        #expect(c.id != a.id)
        #expect(c.payloadCID == a.payloadCID)
    }

    @Test("bad values are refused with typed errors")
    func badValues() throws {
        let keys = try SigningKeyPair(seed: Self.seed)
        #expect(throws: GossipError.valueOutOfRange(field: "sequence", value: .max)) {
            try GossipEnvelope.sign(keys, topic: "t", sequence: .max, timestamp: 0, payload: .inline([]))
        }
        #expect(throws: GossipError.payloadTooLarge(bytes: GossipLimits.maxInlinePayload + 1, limit: GossipLimits.maxInlinePayload)) {
            try GossipEnvelope.sign(keys, topic: "t", sequence: 0, timestamp: 0,
                                    payload: .inline(Array(repeating: 0, count: GossipLimits.maxInlinePayload + 1)))
        }
        let empty = "", long = String(repeating: "x", count: 129)
        #expect(throws: GossipError.invalidTopic(name: empty)) { try GossipTopic(empty) }
        #expect(throws: GossipError.invalidTopic(name: long)) { try GossipTopic(long) }
        #expect(throws: GossipError.invalidPeerKey(length: 31)) { try GossipPeer(publicKey: Array(repeating: 0, count: 31)) }
    }
}

/// Lower-case hex.
func hexString(_ bytes: [UInt8]) -> String {
    let d = Array("0123456789abcdef")
    return String(bytes.flatMap { [d[Int($0 >> 4)], d[Int($0 & 15)]] })
}
