import CSodium
import VeectorCrypto

/// Noise's CipherState for `ChaChaPoly`: a 32-byte key (or none) and a 64-bit nonce counter.
/// The 12-byte AEAD nonce is 4 zero bytes then the counter in little-endian (Noise rev 34, §12.3).
public struct NoiseCipherState: Sendable {
    /// The key, or nil before the handshake has mixed one in (then "encryption" is the identity).
    public private(set) var key: SecretKey?
    /// The next nonce to use.
    public private(set) var nonce: UInt64 = 0

    /// A cipher state with `key` (or none) and nonce 0.
    public init(key: SecretKey?) { self.key = key }

    /// True once a key is set.
    public var hasKey: Bool { key != nil }

    private func nonceBytes(_ n: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { out[4 + i] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i))) }
        return out
    }

    /// ENCRYPTWITHAD: seals `plaintext` with associated data `ad` and advances the nonce.
    public mutating func encrypt(_ plaintext: [UInt8], ad: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce < .max else { throw .nonceExhausted }
        let out = ChaCha20Poly1305IETF.seal(plaintext, key: key, nonce: nonceBytes(nonce), additionalData: ad)
        nonce += 1
        return out
    }

    /// DECRYPTWITHAD: opens `ciphertext`; the nonce advances only on success.
    public mutating func decrypt(_ ciphertext: [UInt8], ad: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key else { return ciphertext }
        guard nonce < .max else { throw .nonceExhausted }
        guard ciphertext.count >= ChaCha20Poly1305IETF.tagBytes else { throw .truncated(needed: ChaCha20Poly1305IETF.tagBytes, got: ciphertext.count) }
        let plain: [UInt8]
        do { plain = try ChaCha20Poly1305IETF.open(ciphertext, key: key, nonce: nonceBytes(nonce), additionalData: ad) } catch {
            throw .authenticationFailed
        }
        nonce += 1
        return plain
    }

    /// Seals `plaintext` into `output` (plaintext + 16 bytes) with empty associated data: the
    /// transport path, without intermediate arrays.
    public mutating func encrypt(_ plaintext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(NoiseError) {
        guard let key else { preconditionFailure("NoiseCipherState: transport encryption needs a key") }
        guard nonce < .max else { throw .nonceExhausted }
        let n = nonceBytes(nonce)
        n.withUnsafeBytes { nb in
            ChaCha20Poly1305IETF.seal(plaintext, into: output, key: key, nonce: nb, additionalData: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        nonce += 1
    }

    /// Opens `ciphertext` into `output` (ciphertext - 16 bytes) with empty associated data.
    public mutating func decrypt(_ ciphertext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(NoiseError) {
        guard let key else { preconditionFailure("NoiseCipherState: transport decryption needs a key") }
        guard nonce < .max else { throw .nonceExhausted }
        guard ciphertext.count >= ChaCha20Poly1305IETF.tagBytes else { throw .truncated(needed: ChaCha20Poly1305IETF.tagBytes, got: ciphertext.count) }
        let n = nonceBytes(nonce)
        let failed: Bool = n.withUnsafeBytes { nb in
            do {
                try ChaCha20Poly1305IETF.open(ciphertext, into: output, key: key, nonce: nb, additionalData: UnsafeRawBufferPointer(start: nil, count: 0))
                return false
            } catch { return true }
        }
        if failed { throw .authenticationFailed }
        nonce += 1
    }

    /// REKEY (Noise §4.2): the new key is the first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zero
    /// bytes). The nonce counter is unchanged.
    public mutating func rekey() {
        guard let key else { return }
        let sealed = ChaCha20Poly1305IETF.seal([UInt8](repeating: 0, count: 32), key: key, nonce: nonceBytes(.max))
        self.key = try! SecretKey(bytes: Array(sealed[0..<32]))
    }
}
