import Testing
import VeectorWire

/// BEP 44 ("Storing arbitrary data in the DHT", https://www.bittorrent.org/beps/bep_0044.html),
/// section "Test vectors". The BEP's private key is libsodium's 64-byte expanded form
/// (not a seed), so these tests verify its published signatures rather than re-create them.
@Suite("BEP 44 items")
struct BEP44Tests {
    static let publicKey = [UInt8](hex: "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548")
    let value: BencodeValue = "Hello World!"

    @Test func test1MutableWithoutSalt() throws {
        #expect(BEP44.signedBuffer(salt: [], seq: 1, value: value) == [UInt8](ascii: "3:seqi1e1:v12:Hello World!"))
        #expect(BEP44.mutableTarget(publicKey: Self.publicKey).description == "4a533d47ec9c7d95b1ad75f576cffc641853b750")
        let item = MutableItem(publicKey: Self.publicKey, seq: 1, value: value, signature: [UInt8](hex:
            "305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01"))
        #expect(item.isSignatureValid)
        #expect(item.target.description == "4a533d47ec9c7d95b1ad75f576cffc641853b750")
        var tampered = item
        tampered.seq = 2
        #expect(!tampered.isSignatureValid)
    }

    @Test func test2MutableWithSalt() {
        let salt = [UInt8](ascii: "foobar")
        #expect(BEP44.signedBuffer(salt: salt, seq: 1, value: value) == [UInt8](ascii: "4:salt6:foobar3:seqi1e1:v12:Hello World!"))
        #expect(BEP44.mutableTarget(publicKey: Self.publicKey, salt: salt).description == "411eba73b6f087ca51a3795d9c8c938d365e32c1")
        let item = MutableItem(publicKey: Self.publicKey, salt: salt, seq: 1, value: value, signature: [UInt8](hex:
            "6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17ddf9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08"))
        #expect(item.isSignatureValid)
        var unsalted = item
        unsalted.salt = []
        #expect(!unsalted.isSignatureValid)
    }

    @Test func test3Immutable() {
        #expect(BEP44.immutableTarget(value: value).description == "e5f96f6f38320f0f33959cb4d3d656452117aadb")
        #expect(DHTItem.immutable(value).target.description == "e5f96f6f38320f0f33959cb4d3d656452117aadb")
    }

    @Test func signAndVerifyWithOurKeys() throws {
        let seed = [UInt8](repeating: 7, count: 32)
        let item = try #require(MutableItem.signed(value: ["ip": "1.2.3.4", "port": 6881], seq: 42, salt: [UInt8](ascii: "endpoints"), seed: seed))
        #expect(item.isSignatureValid)
        #expect(item.signature.count == 64 && item.publicKey.count == 32)
        #expect(MutableItem.signed(value: 1, seq: 1, seed: [1, 2]) == nil)
        // Deterministic: the same seed signs the same bytes the same way.
        #expect(MutableItem.signed(value: ["ip": "1.2.3.4", "port": 6881], seq: 42, salt: [UInt8](ascii: "endpoints"), seed: seed) == item)
        #expect(BEP44.rejection(of: .mutable(item)) == nil)
        var forged = item
        forged.value = "evil"
        #expect(BEP44.rejection(of: .mutable(forged))?.code == KRPCErrorMessage.invalidSignatureCode)
    }

    @Test func limits() throws {
        let seed = [UInt8](repeating: 1, count: 32)
        let big = BencodeValue.bytes([UInt8](repeating: 0, count: 996)) // 4:... = 1000 bytes
        #expect(big.encoded().count == 1000)
        #expect(BEP44.rejection(of: .immutable(big)) == nil)
        let tooBig = BencodeValue.bytes([UInt8](repeating: 0, count: 997))
        #expect(BEP44.rejection(of: .immutable(tooBig))?.code == 205)
        #expect(BEP44.rejection(of: .mutable(try #require(MutableItem.signed(value: tooBig, seq: 1, seed: seed))))?.code == 205)
        let longSalt = [UInt8](repeating: 1, count: 65)
        #expect(BEP44.rejection(of: .mutable(try #require(MutableItem.signed(value: 1, seq: 1, salt: longSalt, seed: seed))))?.code == 207)
    }

    @Test func getAndPutMessagesRoundTrip() throws {
        let id = NodeID([UInt8](repeating: 0xAB, count: 20))!
        let seed = [UInt8](repeating: 3, count: 32)
        let item = try #require(MutableItem.signed(value: ["x": [1, 2]], seq: 5, salt: [UInt8](ascii: "s"), seed: seed))
        let messages: [KRPCMessage] = [
            KRPCMessage(transactionID: [9], body: .query(.get(GetArguments(id: id, target: item.target)))),
            KRPCMessage(transactionID: [9], body: .query(.get(GetArguments(id: id, target: item.target, seq: 4)))),
            KRPCMessage(transactionID: [9], body: .query(.put(PutArguments(id: id, token: [1, 2], item: .immutable("Hello World!"))))),
            KRPCMessage(transactionID: [9], body: .query(.put(PutArguments(id: id, token: [1, 2], item: .mutable(item), cas: 4)))),
            KRPCMessage(transactionID: [9], body: .query(.put(PutArguments(id: id, token: [1, 2], item: .mutable(item))))),
            KRPCMessage(transactionID: [9], body: .response(KRPCResponse(id: id, token: [7], value: item.value,
                                                                          publicKey: item.publicKey, signature: item.signature, seq: item.seq))),
            KRPCMessage(transactionID: [9], body: .error(KRPCErrorMessage(code: 302, "sequence number less than current"))),
        ]
        for m in messages { #expect(try KRPCMessage(decoding: m.encoded()) == m) }
        // The exact wire form of an immutable put.
        #expect(messages[2].encoded() == [UInt8](ascii: "d1:ad2:id20:") + id.bytes
                + [UInt8](ascii: "5:token2:") + [1, 2] + [UInt8](ascii: "1:v12:Hello World!e1:q3:put1:t1:") + [9] + [UInt8](ascii: "1:y1:qe"))
        // A get reply hands back the item; with the querier's salt it verifies.
        guard case let .response(r) = try KRPCMessage(decoding: messages[5].encoded()).body else { Issue.record("not a response"); return }
        #expect(r.mutableItem(salt: [UInt8](ascii: "s")) == item)
        #expect(r.mutableItem(salt: [UInt8](ascii: "s"))?.isSignatureValid == true)
        #expect(KRPCResponse(id: id).mutableItem() == nil)
    }

    @Test func malformedPutsAreRejected() {
        func rejection(_ a: String) -> KRPCDecodeError? {
            do { _ = try KRPCMessage(decoding: [UInt8](ascii: "d1:ad2:id20:abcdefghij0123456789" + a + "e1:q3:put1:t2:aa1:y1:qe")); return nil } catch { return error }
        }
        let t = [UInt8](ascii: "aa")
        #expect(rejection("5:token1:x") == KRPCDecodeError(.missingKey("a.v"), transactionID: t))
        #expect(rejection("1:v1:x") == KRPCDecodeError(.missingKey("a.token"), transactionID: t))
        #expect(rejection("1:k3:abc5:token1:x1:v1:x") == KRPCDecodeError(.wrongLength(key: "a.k", expected: 32, got: 3), transactionID: t))
        let k = "1:k32:" + String(repeating: "k", count: 32)
        #expect(rejection(k + "5:token1:x1:v1:x") == KRPCDecodeError(.missingKey("a.sig"), transactionID: t))
        let sig = "3:sig64:" + String(repeating: "s", count: 64)
        #expect(rejection(k + sig + "5:token1:x1:v1:x") == KRPCDecodeError(.missingKey("a.seq"), transactionID: t))
        #expect(rejection(k + "3:seq1:1" + sig + "5:token1:x1:v1:x") == KRPCDecodeError(.wrongType(key: "a.seq"), transactionID: t))
        #expect(rejection(k + "4:salti1e3:seqi1e" + sig + "5:token1:x1:v1:x") == KRPCDecodeError(.wrongType(key: "a.salt"), transactionID: t))
        #expect(rejection(k + "4:salt1:s3:seqi1e" + sig + "5:token1:x1:v1:x") == nil)
    }
}
