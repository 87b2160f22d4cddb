import Testing
import VeectorCrypto

/// The primitives the session layer adds to VeectorCrypto, against their RFC test vectors.
@Suite("Session crypto primitives")
struct CryptoPrimitiveTests {
    /// RFC 7748 §6.1: Alice's and Bob's keys and their shared secret.
    @Test func x25519RFC7748() throws {
        let alice = try X25519KeyPair(secretBytes: [UInt8](hex: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = try X25519KeyPair(secretBytes: [UInt8](hex: "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        #expect(alice.publicKey.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(bob.publicKey.hex == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let k1 = try alice.sharedSecret(with: bob.publicKey).withUnsafeBytes { Array($0) }
        let k2 = try bob.sharedSecret(with: alice.publicKey).withUnsafeBytes { Array($0) }
        #expect(k1.hex == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(k1 == k2)
        // A low-order point is refused, not turned into an all-zero secret.
        #expect(throws: CryptoError.self) { try alice.sharedSecret(with: [UInt8](repeating: 0, count: 32)) }
    }

    /// RFC 8439 §2.8.2: the AEAD test vector.
    @Test func chaChaPolyRFC8439() throws {
        let key = try SecretKey(bytes: [UInt8](hex: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
        let nonce = [UInt8](hex: "070000004041424344454647")
        let ad = [UInt8](hex: "50515253c0c1c2c3c4c5c6c7")
        let plaintext = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let sealed = ChaCha20Poly1305IETF.seal(plaintext, key: key, nonce: nonce, additionalData: ad)
        #expect(sealed.suffix(16).map { $0 }.hex == "1ae10b594f09e26a7e902ecbd0600691")
        #expect(sealed.prefix(16).map { $0 }.hex == "d31a8d34648e60db7b86afbc53ef7ec2")
        #expect(try ChaCha20Poly1305IETF.open(sealed, key: key, nonce: nonce, additionalData: ad) == plaintext)
        var bad = sealed
        bad[0] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try ChaCha20Poly1305IETF.open(bad, key: key, nonce: nonce, additionalData: ad) }
    }

    /// The Ed25519 → X25519 conversion gives matching public and secret halves.
    @Test func ed25519ToX25519() throws {
        let ed = try SigningKeyPair(seed: Array(0..<32))
        let x = ed.x25519KeyPair()
        #expect(try Ed25519ToX25519.publicKey(ed.publicKey) == x.publicKey)
        #expect(throws: CryptoError.self) { try Ed25519ToX25519.publicKey([1, 2, 3]) }
    }

    /// HMAC-BLAKE2b agrees with its definition computed by hand from BLAKE2b.
    @Test func hmacMatchesDefinition() {
        let key = Array("key".utf8), message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let padded = key + [UInt8](repeating: 0, count: 128 - key.count)
        let inner = GenericHash.hash(padded.map { $0 ^ 0x36 } + message, outputLength: 64)
        let expected = GenericHash.hash(padded.map { $0 ^ 0x5c } + inner, outputLength: 64)
        #expect(HMACBLAKE2b.authenticate(key: key, message: message) == expected)
        // Python: hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", hashlib.blake2b).hexdigest()
        #expect(HMACBLAKE2b.authenticate(key: key, message: message).hex == "92294f92c0dfb9b00ec9ae8bd94d7e7d8a036b885a499f149dfe2fd2199394aaaf6b8894a1730cccb2cd050f9bcf5062a38b51b0dab33207f8ef35ae2c9df51b")
    }
}
