import Testing
import VeectorDHT
import VeectorWire

/// Bytes from hex text (a local helper: the DHT tests have no shared hex helper).
private func storageHex(_ text: String) -> [UInt8] {
    let digits = text.map { UInt8(String($0), radix: 16)! }
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

@Suite("Storage: BEP 44 items")
struct StorageItemTests {
    // BEP 44, "Test vectors" (the same inputs as VeectorWireTests.BEP44Tests).
    static let bepKey = storageHex("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548")
    static let bepValue: BencodeValue = "Hello World!"
    static let bepUnsalted = MutableItem(publicKey: bepKey, seq: 1, value: bepValue, signature: storageHex(
        "305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01"))
    static let bepSalted = MutableItem(publicKey: bepKey, salt: Array("foobar".utf8), seq: 1, value: bepValue, signature: storageHex(
        "6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17ddf9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08"))
    static let seed = [UInt8](repeating: 5, count: 32)

    static func signed(_ value: BencodeValue, seq: Int64) throws -> DHTItem {
        .mutable(try #require(MutableItem.signed(value: value, seq: seq, seed: seed)))
    }

    static func code(_ body: () throws(ItemStoreError) -> Void) -> Int64? {
        do { try body(); return nil } catch { return error.code }
    }

    @Test func immutablePutAndGet() throws {
        var store = ItemStore()
        let target = try store.put(.immutable(Self.bepValue), now: .zero)
        #expect(target.description == "e5f96f6f38320f0f33959cb4d3d656452117aadb")
        #expect(store.item(for: target, now: .seconds(1))?.item == .immutable(Self.bepValue))
        #expect(store.item(for: NodeID.zero, now: .seconds(1)) == nil)
        // Offered for a target it does not hash to: refused (203) and not stored.
        let wrong = NodeID([UInt8](repeating: 1, count: 20))!
        #expect(Self.code { () throws(ItemStoreError) in try store.put(.immutable("other"), target: wrong, now: .zero) } == 203)
        #expect(store.count == 1)
        try store.put(.immutable(Self.bepValue), target: target, now: .zero)
        // v over 1000 bytes: 205.
        let big = BencodeValue.bytes([UInt8](repeating: 0x61, count: 1000))
        #expect(Self.code { () throws(ItemStoreError) in try store.put(.immutable(big), now: .zero) } == 205)
        #expect(ItemStoreError.valueTooBig.krpcError.code == KRPCErrorMessage.valueTooBigCode)
    }

    @Test func mutableVectorsAreAcceptedAndTamperingIsNot() throws {
        var store = ItemStore()
        #expect(try store.put(.mutable(Self.bepUnsalted), now: .zero).description == "4a533d47ec9c7d95b1ad75f576cffc641853b750")
        #expect(try store.put(.mutable(Self.bepSalted), now: .zero).description == "411eba73b6f087ca51a3795d9c8c938d365e32c1")
        var forged = Self.bepUnsalted
        forged.value = "Hello World?"
        #expect(Self.code { () throws(ItemStoreError) in try store.put(.mutable(forged), now: .zero) } == 206)
        var badSig = Self.bepSalted
        badSig.signature[0] ^= 1
        #expect(Self.code { () throws(ItemStoreError) in try store.put(.mutable(badSig), now: .zero) } == 206)
        var longSalt = Self.bepSalted
        longSalt.salt = [UInt8](repeating: 1, count: 65)
        #expect(Self.code { () throws(ItemStoreError) in try store.put(.mutable(longSalt), now: .zero) } == 207)
        #expect(store.item(for: Self.bepUnsalted.target, now: .zero)?.item == .mutable(Self.bepUnsalted))
        #expect(store.count == 2)
    }

    @Test func sequenceNumbersMustIncrease() throws {
        var store = ItemStore()
        let target = try store.put(try Self.signed("one", seq: 1), now: .zero)
        try store.put(try Self.signed("two", seq: 2), now: .seconds(1))
        #expect(Self.code { () throws(ItemStoreError) in try store.put(try! Self.signed("old", seq: 1), now: .seconds(2)) } == 302)
        #expect(Self.code { () throws(ItemStoreError) in try store.put(try! Self.signed("fork", seq: 2), now: .seconds(2)) } == 302)
        // The same item again is fine (it renews the expiry).
        try store.put(try Self.signed("two", seq: 2), now: .seconds(3))
        #expect(store.item(for: target, now: .seconds(3))?.expires == Instant.seconds(3).advanced(by: .seconds(7200)))
        try store.put(try Self.signed("ten", seq: 10), now: .seconds(4))
        #expect(store.item(for: target, now: .seconds(4))?.item == (try Self.signed("ten", seq: 10)))
    }

    @Test func compareAndSwap() throws {
        var store = ItemStore()
        try store.put(try Self.signed("a", seq: 4), now: .zero)
        do {
            try store.put(try Self.signed("b", seq: 5), cas: 3, now: .zero)
            Issue.record("cas mismatch accepted")
        } catch let error as ItemStoreError {
            #expect(error == .casMismatch(stored: 4))
            #expect(error.krpcError.code == 301)
        }
        try store.put(try Self.signed("b", seq: 5), cas: 4, now: .zero)
        // cas is checked before seq, as libtorrent does.
        #expect(Self.code { () throws(ItemStoreError) in try store.put(try! Self.signed("c", seq: 1), cas: 4, now: .zero) } == 301)
        // With nothing stored, cas has nothing to compare with.
        var empty = ItemStore()
        try empty.put(try Self.signed("x", seq: 1), cas: 99, now: .zero)
    }

    @Test func itemsExpireUnlessPutAgain() throws {
        var store = ItemStore()
        let imm = try store.put(.immutable("keep me"), now: .zero)
        let mut = try store.put(try Self.signed("v", seq: 7), now: .zero)
        #expect(store.item(for: imm, now: .seconds(7199)) != nil)
        try store.put(.immutable("keep me"), now: .seconds(3600))
        #expect(store.item(for: imm, now: .seconds(7200)) != nil)
        #expect(store.item(for: mut, now: .seconds(7200)) == nil)
        #expect(store.item(for: imm, now: .seconds(10800)) == nil)
        // An expired mutable item no longer guards its seq.
        try store.put(try Self.signed("restart", seq: 1), now: .seconds(7200))
        store.removeExpired(now: .seconds(10800))
        #expect(store.count == 1)
    }

    @Test func boundedCountEvictsTheSoonestToExpire() throws {
        var store = ItemStore(configuration: ItemStoreConfiguration(maxItems: 3))
        let a = try store.put(.immutable("a"), now: .seconds(0))
        let b = try store.put(.immutable("b"), now: .seconds(1))
        let c = try store.put(.immutable("c"), now: .seconds(2))
        try store.put(.immutable("a"), now: .seconds(3))  // renewed: b now expires first
        let d = try store.put(.immutable("d"), now: .seconds(4))
        #expect(store.count == 3)
        #expect(store.item(for: b, now: .seconds(5)) == nil)
        for t in [a, c, d] { #expect(store.item(for: t, now: .seconds(5)) != nil) }
        // Ties never evict the item just put.
        var tied = ItemStore(configuration: ItemStoreConfiguration(maxItems: 1))
        try tied.put(.immutable("x"), now: .zero)
        let y = try tied.put(.immutable("y"), now: .zero)
        #expect(tied.item(for: y, now: .zero) != nil && tied.count == 1)
    }
}
