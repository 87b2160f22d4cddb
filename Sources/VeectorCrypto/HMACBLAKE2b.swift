/// HMAC (RFC 2104) over BLAKE2b-512 with its 128-byte block, as the Noise protocol defines
/// `HMAC-HASH` for `BLAKE2b` (Noise's HKDF is built on it). Not libsodium's keyed BLAKE2b mode,
/// which is a different construction.
public enum HMACBLAKE2b {
    /// Output length in bytes.
    public static let outputBytes = 64
    /// BLAKE2b's block length in bytes (keys longer than this are hashed first).
    public static let blockBytes = 128

    /// HMAC-BLAKE2b(key, message) over the concatenation of `messageParts` (so callers need not copy).
    public static func authenticate(key: [UInt8], messageParts: [[UInt8]]) -> [UInt8] {
        var k = key.count > blockBytes ? GenericHash.hash(key, outputLength: outputBytes) : key
        k += [UInt8](repeating: 0, count: blockBytes - k.count)
        var inner = GenericHasher(outputLength: outputBytes)
        inner.update(k.map { $0 ^ 0x36 })
        for part in messageParts { inner.update(part) }
        let innerHash = inner.finalize()
        var outer = GenericHasher(outputLength: outputBytes)
        outer.update(k.map { $0 ^ 0x5c })
        outer.update(innerHash)
        for i in k.indices { k[i] = 0 }
        return outer.finalize()
    }

    /// HMAC-BLAKE2b(key, message).
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        authenticate(key: key, messageParts: [message])
    }
}
