import Testing
import VeectorCrypto

@Suite("BLAKE2b and subkey derivation")
struct HashAndKDFTests {
    /// Expected values from Python's hashlib.blake2b (RFC 7693 BLAKE2b).
    @Test func blake2bKnownValues() {
        #expect(GenericHash.hash(Array("abc".utf8), outputLength: 64) == [UInt8](hex:
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"))
        #expect(GenericHash.hash([]) == [UInt8](hex: "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"))
        // hashlib.blake2b(b"hello world", digest_size=32, key=bytes(range(32)))
        #expect(GenericHash.hash(Array("hello world".utf8), key: Array(0..<32)) == [UInt8](hex:
            "e284e5ae9e9ee34777499c886c42fce0466a813b7e278dc806db57bcfe2255f1"))
    }

    @Test func streamingMatchesOneShot() {
        let data = SecureRandom.bytes(100_000)
        var hasher = GenericHasher(outputLength: 48, key: Array(0..<16))
        var position = 0
        for step in [1, 127, 128, 129, 5000, 94_615] {
            hasher.update(Array(data[position ..< position + step]))
            position += step
        }
        #expect(position == data.count)
        #expect(hasher.finalize() == GenericHash.hash(data, outputLength: 48, key: Array(0..<16)))
    }

    @Test func copiedHasherForks() {
        var a = GenericHasher()
        a.update([1, 2, 3])
        var b = a
        b.update([4])
        #expect(a.finalize() == GenericHash.hash([1, 2, 3]))
        #expect(b.finalize() == GenericHash.hash([1, 2, 3, 4]))
    }

    /// crypto_kdf_derive_from_key is BLAKE2b keyed with the master key, salt = id (LE, 8 bytes)
    /// + 8 zeros, personal = context + 8 zeros. Expected value from Python:
    /// hashlib.blake2b(b"", digest_size=32, key=bytes(range(32)), salt=struct.pack("<Q",1)+bytes(8),
    ///                 person=b"Veector1"+bytes(8)).hexdigest()
    @Test func subkeyKnownValue() throws {
        let master = try SecretKey(bytes: Array(0..<32))
        let sub = KeyDerivation.subkey(from: master, id: 1, context: "Veector1")
        #expect(sub.withUnsafeBytes { Array($0) } == [UInt8](hex: "886ed19549ab97b5ba0f4f2ebbf0fe30f3d983b2af17a67c92233da23d59b097"))
    }

    @Test func subkeysDifferByIdAndContext() {
        let master = SecretKey.random()
        let a = KeyDerivation.subkey(from: master, id: 1, context: "purposeA")
        #expect(a.constantTimeEquals(KeyDerivation.subkey(from: master, id: 1, context: "purposeA")))
        #expect(!a.constantTimeEquals(KeyDerivation.subkey(from: master, id: 2, context: "purposeA")))
        #expect(!a.constantTimeEquals(KeyDerivation.subkey(from: master, id: 1, context: "purposeB")))
    }

    @Test func randomBytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(32).count == 32)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }
}
