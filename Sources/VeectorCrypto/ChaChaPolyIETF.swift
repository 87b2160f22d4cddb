import CSodium

/// ChaCha20-Poly1305 as in RFC 8439 (libsodium `crypto_aead_chacha20poly1305_ietf`): the AEAD
/// the Noise protocol's `ChaChaPoly` names, with a 12-byte nonce the caller manages as a counter.
///
/// Never reuse a nonce with one key. Protocols with random nonces want `AEAD` (XChaCha20) instead.
public enum ChaCha20Poly1305IETF {
    /// Key length in bytes.
    public static let keyBytes = 32
    /// Nonce length in bytes.
    public static let nonceBytes = 12
    /// Authentication tag length in bytes (appended to every ciphertext).
    public static let tagBytes = 16

    /// Encrypts `plaintext` into `output` (which must hold exactly `plaintext.count + tagBytes`
    /// bytes): ciphertext then tag. `output` may be the same memory as `plaintext`.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: SecretKey,
                            nonce: UnsafeRawBufferPointer, additionalData: UnsafeRawBufferPointer) {
        Sodium.ensureInitialized()
        precondition(key.count == keyBytes && nonce.count == nonceBytes, "ChaCha20Poly1305IETF.seal: key must be 32 bytes, nonce 12")
        precondition(output.count == plaintext.count + tagBytes, "ChaCha20Poly1305IETF.seal: output must be plaintext + 16 bytes")
        var written: UInt64 = 0
        key.withUnsafeBytes { k in
            _ = crypto_aead_chacha20poly1305_ietf_encrypt(
                output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
                plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count),
                nil, nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Decrypts and verifies `ciphertext` (ciphertext then tag) into `output`, which must hold
    /// exactly `ciphertext.count - tagBytes` bytes. Throws `.authenticationFailed` if anything
    /// (bytes, key, nonce, additional data) differs; `output` is then zeroed.
    public static func open(_ ciphertext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: SecretKey,
                            nonce: UnsafeRawBufferPointer, additionalData: UnsafeRawBufferPointer) throws(CryptoError) {
        Sodium.ensureInitialized()
        guard key.count == keyBytes else { throw .invalidKeyLength(expected: keyBytes, got: key.count) }
        guard nonce.count == nonceBytes else { throw .invalidParameter("the nonce must be \(nonceBytes) bytes, got \(nonce.count)") }
        guard ciphertext.count >= tagBytes else { throw .truncated(needed: tagBytes, got: ciphertext.count) }
        precondition(output.count == ciphertext.count - tagBytes, "ChaCha20Poly1305IETF.open: output must be ciphertext - 16 bytes")
        var written: UInt64 = 0
        let result = key.withUnsafeBytes { k in
            crypto_aead_chacha20poly1305_ietf_decrypt(
                output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, nil,
                ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
                additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count),
                nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard result == 0 else {
            if let base = output.baseAddress, output.count > 0 { sodium_memzero(base, output.count) }
            throw .authenticationFailed
        }
    }

    /// Array form of `seal`: returns ciphertext || tag.
    public static func seal(_ plaintext: [UInt8], key: SecretKey, nonce: [UInt8], additionalData: [UInt8] = []) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: plaintext.count + tagBytes) { out, initialized in
            plaintext.withUnsafeBytes { p in
                nonce.withUnsafeBytes { n in
                    additionalData.withUnsafeBytes { ad in
                        seal(p, into: UnsafeMutableRawBufferPointer(out), key: key, nonce: n, additionalData: ad)
                    }
                }
            }
            initialized = plaintext.count + tagBytes
        }
    }

    /// Array form of `open`.
    public static func open(_ ciphertext: [UInt8], key: SecretKey, nonce: [UInt8], additionalData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        guard ciphertext.count >= tagBytes else { throw .truncated(needed: tagBytes, got: ciphertext.count) }
        var out = [UInt8](repeating: 0, count: ciphertext.count - tagBytes)
        let result: Result<Void, CryptoError> = ciphertext.withUnsafeBytes { c in
            nonce.withUnsafeBytes { n in
                additionalData.withUnsafeBytes { ad in
                    out.withUnsafeMutableBytes { o in
                        Result { () throws(CryptoError) in try open(c, into: o, key: key, nonce: n, additionalData: ad) }
                    }
                }
            }
        }
        try result.get()
        return out
    }
}
