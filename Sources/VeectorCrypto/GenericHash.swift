import CSodium

/// BLAKE2b (libsodium `crypto_generichash`): a fast keyed or unkeyed hash for fingerprints,
/// MACs and key material. Not the content-ID hash (that is SHA-256, see the ContentID target).
public enum GenericHash {
    /// Smallest, default and largest output length in bytes.
    public static let minOutputLength = 16, defaultOutputLength = 32, maxOutputLength = 64
    /// Largest key length in bytes (keys must be 16...64 bytes, or absent).
    public static let maxKeyLength = 64

    /// Hashes `data` in one call; `outputLength` 16...64 bytes, `key` nil or 16...64 bytes.
    public static func hash(_ data: [UInt8], outputLength: Int = 32, key: [UInt8]? = nil) -> [UInt8] {
        data.withUnsafeBytes { hash($0, outputLength: outputLength, key: key) }
    }

    /// Hashes bytes lent by pointer (no copy of the input).
    public static func hash(_ data: UnsafeRawBufferPointer, outputLength: Int = 32, key: [UInt8]? = nil) -> [UInt8] {
        Sodium.ensureInitialized()
        checkLengths(outputLength: outputLength, key: key)
        return [UInt8](unsafeUninitializedCapacity: outputLength) { out, initialized in
            let k = key ?? []
            k.withUnsafeBufferPointer { kp in
                _ = crypto_generichash(out.baseAddress!, outputLength,
                                       data.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(data.count),
                                       k.isEmpty ? nil : kp.baseAddress, k.count)
            }
            initialized = outputLength
        }
    }

    /// Stops with a clear message on lengths libsodium would reject (a programming error).
    static func checkLengths(outputLength: Int, key: [UInt8]?) {
        precondition((minOutputLength...maxOutputLength).contains(outputLength),
                     "GenericHash: outputLength must be 16...64 bytes, got \(outputLength)")
        if let key {
            precondition((16...maxKeyLength).contains(key.count),
                         "GenericHash: a key must be 16...64 bytes (or nil), got \(key.count)")
        }
    }
}

/// Streaming BLAKE2b for data that arrives in pieces: `update` any number of times, then `finalize`.
///
/// A value type: copying a hasher forks the state (copy-on-write), so both copies can go on
/// independently.
public struct GenericHasher: Sendable {
    /// Heap storage for libsodium's state, which must be 64-byte aligned.
    /// `@unchecked Sendable`: only mutated while uniquely referenced (copy-on-write), like Array.
    private final class State: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        init() {
            pointer = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_blake2b_statebytes(), alignment: 64)
        }
        func copy() -> State {
            let new = State()
            new.pointer.copyMemory(from: pointer, byteCount: crypto_generichash_blake2b_statebytes())
            return new
        }
        /// The state as libsodium takes it (Swift imports the over-aligned C struct as an opaque pointer).
        var typed: OpaquePointer { OpaquePointer(pointer) }
        deinit {
            sodium_memzero(pointer, crypto_generichash_blake2b_statebytes())
            pointer.deallocate()
        }
    }

    private var state: State
    private let outputLength: Int
    private var finished = false

    /// Starts a hash with `outputLength` 16...64 bytes and an optional 16...64-byte key.
    public init(outputLength: Int = 32, key: [UInt8]? = nil) {
        Sodium.ensureInitialized()
        GenericHash.checkLengths(outputLength: outputLength, key: key)
        self.outputLength = outputLength
        state = State()
        let k = key ?? []
        k.withUnsafeBufferPointer { kp in
            _ = crypto_generichash_init(state.typed, k.isEmpty ? nil : kp.baseAddress, k.count, outputLength)
        }
    }

    private mutating func unique() {
        precondition(!finished, "GenericHasher: update/finalize after finalize; start a new hasher")
        if !isKnownUniquelyReferenced(&state) { state = state.copy() }
    }

    /// Feeds more bytes.
    public mutating func update(_ data: [UInt8]) {
        data.withUnsafeBytes { update($0) }
    }

    /// Feeds bytes lent by pointer.
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        unique()
        _ = crypto_generichash_update(state.typed, data.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(data.count))
    }

    /// Returns the hash of everything fed so far; the hasher cannot be used afterwards.
    public mutating func finalize() -> [UInt8] {
        unique()
        finished = true
        return [UInt8](unsafeUninitializedCapacity: outputLength) { out, initialized in
            _ = crypto_generichash_final(state.typed, out.baseAddress!, outputLength)
            initialized = outputLength
        }
    }
}
