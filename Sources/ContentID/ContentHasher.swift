import Crypto

/// Computes a CID over content that arrives in pieces (large files, chunk streams) without
/// holding it all in memory. Feed with `update`, then `finalize`.
///
/// `@unchecked Sendable`: swift-crypto's `SHA256` is not marked Sendable, but it is a value type
/// (its native state is copied on write), so a hasher moved to another task shares nothing.
public struct ContentHasher: @unchecked Sendable {
    private var sha = SHA256()

    /// Starts an empty hash.
    public init() {}

    /// Feeds bytes lent by pointer.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha.update(bufferPointer: bytes)
    }

    /// Feeds an array of bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { sha.update(bufferPointer: $0) }
    }

    /// The sha2-256 CID of everything fed so far (`.raw` by default).
    public func finalize(codec: Multicodec = .raw) -> CID {
        CID(codec: codec, multihash: Multihash(code: Multihash.sha256Code, digest: Array(sha.finalize())))
    }
}
