import Testing
import VeectorCrypto

@Suite("Ed25519 signatures and sealed boxes")
struct SigningAndBoxTests {
    /// RFC 8032 section 7.1, TEST 1 (empty message).
    @Test func rfc8032TestVector1() throws {
        let pair = try SigningKeyPair(seed: [UInt8](hex: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(pair.publicKey == [UInt8](hex: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let expected = [UInt8](hex: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(pair.sign([]) == expected)
        #expect(Signature.verify(expected, message: [], publicKey: pair.publicKey))
    }

    @Test func signVerifyAndRejectChanges() throws {
        let pair = SigningKeyPair.generate()
        let message = Array("announce block bafk…".utf8)
        let sig = pair.sign(message)
        #expect(Signature.verify(sig, message: message, publicKey: pair.publicKey))
        #expect(!Signature.verify(sig, message: message + [0], publicKey: pair.publicKey))
        #expect(!Signature.verify(sig, message: message, publicKey: SigningKeyPair.generate().publicKey))
        var bad = sig
        bad[10] ^= 1
        #expect(!Signature.verify(bad, message: message, publicKey: pair.publicKey))
        #expect(!Signature.verify(Array(sig.dropLast()), message: message, publicKey: pair.publicKey))
        let again = try SigningKeyPair(seed: pair.seed.withUnsafeBytes { Array($0) })
        #expect(again.publicKey == pair.publicKey)
    }

    @Test func sealedBoxRoundTrip() throws {
        let recipient = BoxKeyPair.generate()
        let message = Array("a document key".utf8)
        let sealed = try SealedBox.seal(message, to: recipient.publicKey)
        #expect(sealed.count == message.count + SealedBox.overheadBytes)
        #expect(try SealedBox.open(sealed, recipient: recipient) == message)
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(sealed, recipient: .generate()) }
        var bad = sealed
        bad[bad.count - 1] ^= 1
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(bad, recipient: recipient) }
        #expect(throws: CryptoError.self) { try SealedBox.open([1, 2], recipient: recipient) }
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, got: 3)) { try SealedBox.seal(message, to: [1, 2, 3]) }
        let rebuilt = try BoxKeyPair(secretKey: recipient.secretKey)
        #expect(rebuilt.publicKey == recipient.publicKey)
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(CryptoError.authenticationFailed.description.contains("key"))
        #expect(CryptoError.truncated(needed: 40, got: 3).description.contains("40"))
    }
}
