import CSodium

/// Secret key material (normally 32 bytes) kept out of Swift arrays so it can be wiped.
///
/// The bytes live in one heap allocation that is written only in `init` and overwritten with
/// zeros (`sodium_memzero`, which the compiler cannot optimise away) in `deinit`. Keys are made
/// and dropped often (one per document), so the allocation is ordinary memory rather than
/// `sodium_malloc`'s guard pages and `mlock`, which cost several system calls each.
///
/// `@unchecked Sendable`: the storage is immutable after `init` and only read afterwards, so
/// sharing it between threads needs no lock.
public final class SecretKey: @unchecked Sendable {
    /// The number of bytes of a symmetric key (XChaCha20-Poly1305, BLAKE2b subkeys, Argon2id output).
    public static let byteCount = 32

    private let storage: UnsafeMutableRawBufferPointer

    /// Wraps 32 bytes of existing key material (copied; wipe your own copy if you can).
    public convenience init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidKeyLength(expected: Self.byteCount, got: bytes.count)
        }
        self.init(count: bytes.count) { $0.copyBytes(from: bytes) }
    }

    /// Makes a key of `count` bytes filled in place by `fill`, so secret bytes never pass through
    /// an array. For VeectorCrypto and its neighbours in this package (key derivation, unwrapping).
    package init<E: Error>(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        Sodium.ensureInitialized()
        // Filled before `storage` is set: if `fill` throws, no property is initialised, so
        // `deinit` does not run and the buffer is wiped and freed here exactly once.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try fill(buffer)
        } catch {
            Self.wipe(buffer)
            throw error
        }
        storage = buffer
    }

    /// A new key from the operating system's secure random source.
    public static func random() -> SecretKey {
        SecretKey(count: byteCount) { randombytes_buf($0.baseAddress!, $0.count) }
    }

    deinit { Self.wipe(storage) }

    private static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        sodium_memzero(buffer.baseAddress!, buffer.count)
        buffer.deallocate()
    }

    /// The number of key bytes (32 for keys made by `init(bytes:)`, `random()` and derivations).
    public var count: Int { storage.count }

    /// Lends the key bytes to `body`, for passing to C functions. Do not copy them out.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// Compares two keys in constant time (no early exit that would leak where they differ).
    public func constantTimeEquals(_ other: SecretKey) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }
}
