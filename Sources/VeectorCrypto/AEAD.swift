import CSodium

/// Authenticated encryption with additional data: XChaCha20-Poly1305 (IETF), for sealing
/// document chunks, wrapped keys and anything else that must stay secret and tamper-evident.
///
/// A sealed box is `nonce (24) || ciphertext (same length as the plaintext) || tag (16)`.
/// Nonces are random: 24 bytes are enough that random nonces never repeat in practice, so one
/// key can seal any number of messages. The additional data is authenticated but not stored:
/// the opener must supply the same bytes (for example a document ID), which binds the box to them.
public enum AEAD {
    /// Key length in bytes.
    public static let keyBytes = 32
    /// Nonce length in bytes (stored at the front of every sealed box).
    public static let nonceBytes = 24
    /// Authentication tag length in bytes (stored at the end of every sealed box).
    public static let tagBytes = 16
    /// Bytes a sealed box adds to its plaintext (nonce + tag).
    public static let overheadBytes = nonceBytes + tagBytes

    /// Seals `plaintext` under `key` with a fresh random nonce; returns nonce || ciphertext || tag.
    public static func seal(_ plaintext: [UInt8], key: SecretKey, additionalData: [UInt8] = []) -> [UInt8] {
        plaintext.withUnsafeBytes { p in
            additionalData.withUnsafeBytes { ad in seal(p, key: key, additionalData: ad) }
        }
    }

    /// Seals bytes lent by pointer (no copy of the input), with a fresh random nonce.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecretKey,
                            additionalData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: nonceBytes)
        nonce.withUnsafeMutableBytes { SecureRandom.fill($0) }
        return seal(plaintext, key: key, nonce: nonce, additionalData: additionalData)
    }

    /// Seals with a caller-chosen nonce. Only for test vectors and for callers that can prove a
    /// nonce is never used twice with one key (reusing one reveals both plaintexts); prefer `seal`.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecretKey, nonce: [UInt8],
                            additionalData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) -> [UInt8] {
        Sodium.ensureInitialized()
        precondition(nonce.count == nonceBytes, "AEAD.seal: the nonce must be \(nonceBytes) bytes")
        precondition(key.count == keyBytes, "AEAD.seal: the key must be \(keyBytes) bytes")
        let total = nonceBytes + plaintext.count + tagBytes
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            let base = out.baseAddress!
            nonce.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: nonceBytes) }
            var cipherLength: UInt64 = 0
            key.withUnsafeBytes { k in
                _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                    base + nonceBytes, &cipherLength,
                    plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                    additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count),
                    nil, base, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            initialized = total
        }
    }

    /// Opens a box made by `seal`; throws `.authenticationFailed` if anything about it (bytes,
    /// key, additional data) differs, `.truncated` if it is too short to be a box at all.
    public static func open(_ sealed: [UInt8], key: SecretKey, additionalData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        try withBytes(sealed) { (s) throws(CryptoError) in
            try withBytes(additionalData) { (ad) throws(CryptoError) in try open(s, key: key, additionalData: ad) }
        }
    }

    /// Opens a box lent by pointer (no copy of the input).
    public static func open(_ sealed: UnsafeRawBufferPointer, key: SecretKey,
                            additionalData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) throws(CryptoError) -> [UInt8] {
        try openInto(sealed, key: key, additionalData: additionalData) { count, fill throws(CryptoError) in
            var failed = false
            let plain = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                failed = !fill(UnsafeMutableRawBufferPointer(out))
                initialized = failed ? 0 : count
            }
            if failed { throw .authenticationFailed }
            return plain
        }
    }

    /// Opens a box straight into a `SecretKey` (for wrapped keys), so the plaintext key never
    /// sits in an array. The plaintext must be exactly 32 bytes.
    public static func openKey(_ sealed: [UInt8], key: SecretKey, additionalData: [UInt8] = []) throws(CryptoError) -> SecretKey {
        let expected = nonceBytes + SecretKey.byteCount + tagBytes
        guard sealed.count >= expected else { throw .truncated(needed: expected, got: sealed.count) }
        guard sealed.count == expected else { throw .authenticationFailed }
        return try withBytes(sealed) { (s) throws(CryptoError) in
            try withBytes(additionalData) { (ad) throws(CryptoError) in
                try openInto(s, key: key, additionalData: ad) { count, fill throws(CryptoError) in
                    try SecretKey(count: count) { (buffer) throws(CryptoError) in
                        if !fill(buffer) { throw .authenticationFailed }
                    }
                }
            }
        }
    }

    /// Shared opening logic: checks length, then lets `make` allocate the output and call `fill`,
    /// which decrypts into it and reports whether the tag verified.
    private static func openInto<R>(
        _ sealed: UnsafeRawBufferPointer, key: SecretKey, additionalData: UnsafeRawBufferPointer,
        make: (Int, (UnsafeMutableRawBufferPointer) -> Bool) throws(CryptoError) -> R
    ) throws(CryptoError) -> R {
        Sodium.ensureInitialized()
        guard key.count == keyBytes else { throw .invalidKeyLength(expected: keyBytes, got: key.count) }
        guard sealed.count >= overheadBytes else { throw .truncated(needed: overheadBytes, got: sealed.count) }
        let base = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let plainCount = sealed.count - overheadBytes
        return try make(plainCount) { out in
            var plainLength: UInt64 = 0
            let result = key.withUnsafeBytes { k in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    out.baseAddress?.assumingMemoryBound(to: UInt8.self), &plainLength, nil,
                    base + nonceBytes, UInt64(sealed.count - nonceBytes),
                    additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count),
                    base, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            return result == 0
        }
    }
}
