import CSodium

/// Cryptographically secure random bytes (libsodium's `randombytes_buf`), for salts, nonces and IDs.
public enum SecureRandom {
    /// Returns `count` random bytes from the operating system's secure random source.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: count must not be negative")
        Sodium.ensureInitialized()
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { randombytes_buf(buffer.baseAddress!, count) }
            initialized = count
        }
    }

    /// Fills `buffer` with random bytes in place (no allocation).
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.ensureInitialized()
        if let base = buffer.baseAddress, buffer.count > 0 { randombytes_buf(base, buffer.count) }
    }
}
