import ContentID

/// The identity of a gossip message: SHA-256 of its signed body (`Spec/gossip.md`, "Envelope"), so a
/// republished copy of the same message has the same ID and is recognised as already seen.
public struct GossipMessageID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Digest length in bytes.
    public static let byteCount = 32

    /// The 32-byte SHA-256 digest.
    public let digest: [UInt8]

    /// Wraps a digest; fails unless it is 32 bytes.
    public init(digest: [UInt8]) throws(GossipError) {
        guard digest.count == Self.byteCount else { throw .invalidMessageID(length: digest.count) }
        self.digest = digest
    }

    init(unchecked digest: [UInt8]) { self.digest = digest }

    /// The ID of the body whose canonical bencoding is `body`.
    static func of(body: [UInt8]) -> GossipMessageID { GossipMessageID(unchecked: Multihash.sha256(body).digest) }

    /// The same ID as a CIDv1 (raw codec, sha2-256), for display and for content-addressed storage.
    public var cid: CID { CID(codec: .raw, multihash: Multihash(code: Multihash.sha256Code, digest: digest)) }

    /// Hashes the digest's bytes in one call (the element-wise default costs a `Hasher` round per byte,
    /// and IDs are looked up on every frame).
    public func hash(into hasher: inout Hasher) {
        digest.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// Orders IDs by digest bytes.
    public static func < (lhs: GossipMessageID, rhs: GossipMessageID) -> Bool {
        lhs.digest.lexicographicallyPrecedes(rhs.digest)
    }

    /// The CID in base32 (`b…`).
    public var description: String { cid.description }
}
