import Testing
import VeectorCrypto

@Suite("AEAD (XChaCha20-Poly1305)")
struct AEADTests {
    @Test func roundTrip() throws {
        let key = SecretKey.random()
        for size in [0, 1, 15, 16, 17, 1000, 65_537] {
            let plain = SecureRandom.bytes(size)
            let sealed = AEAD.seal(plain, key: key, additionalData: [1, 2, 3])
            #expect(sealed.count == size + AEAD.nonceBytes + AEAD.tagBytes)
            #expect(try AEAD.open(sealed, key: key, additionalData: [1, 2, 3]) == plain)
        }
    }

    @Test func freshNonceEachTime() {
        let key = SecretKey.random()
        #expect(AEAD.seal([1, 2, 3], key: key) != AEAD.seal([1, 2, 3], key: key))
    }

    @Test func everyFlippedByteIsDetected() {
        let key = SecretKey.random()
        let sealed = AEAD.seal(Array("tamper me".utf8), key: key, additionalData: [9])
        for position in sealed.indices {
            var bad = sealed
            bad[position] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(bad, key: key, additionalData: [9]) }
        }
    }

    @Test func wrongKeyFails() {
        let sealed = AEAD.seal([1, 2, 3], key: .random())
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(sealed, key: .random()) }
    }

    @Test func additionalDataMismatchFails() {
        let key = SecretKey.random()
        let sealed = AEAD.seal([1, 2, 3], key: key, additionalData: Array("doc-1".utf8))
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(sealed, key: key, additionalData: Array("doc-2".utf8)) }
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(sealed, key: key) }
    }

    @Test func truncatedInputIsReported() {
        let key = SecretKey.random()
        #expect(throws: CryptoError.truncated(needed: 40, got: 39)) { try AEAD.open([UInt8](repeating: 0, count: 39), key: key) }
        let sealed = AEAD.seal([1, 2, 3], key: key)
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(Array(sealed.dropLast()), key: key) }
    }

    /// Produced with PyNaCl 1.5: nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
    /// b"hello world", b"ad", bytes(range(24)), bytes(range(32))), with the nonce put in front.
    @Test func knownVector() throws {
        let key = try SecretKey(bytes: Array(0..<32))
        let nonce = [UInt8](0..<24)
        let expected = [UInt8](hex: "000102030405060708090a0b0c0d0e0f1011121314151617f6a76313fff2fac1412842aa537f511ffdea94f0939d4b12c6cef8")
        let sealed = Array("hello world".utf8).withUnsafeBytes { p in
            Array("ad".utf8).withUnsafeBytes { ad in AEAD.seal(p, key: key, nonce: nonce, additionalData: ad) }
        }
        #expect(sealed == expected)
        #expect(try AEAD.open(expected, key: key, additionalData: Array("ad".utf8)) == Array("hello world".utf8))
    }

    @Test func openKeyRestoresAWrappedKey() throws {
        let kek = SecretKey.random()
        let inner = SecretKey.random()
        let wrapped = inner.withUnsafeBytes { AEAD.seal($0, key: kek) }
        #expect(try AEAD.openKey(wrapped, key: kek).constantTimeEquals(inner))
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.openKey(wrapped, key: .random()) }
    }

    @Test func secretKeyRejectsWrongLength() {
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, got: 31)) { try SecretKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(SecretKey.random().count == 32)
        #expect(!SecretKey.random().constantTimeEquals(SecretKey.random()))
    }
}
