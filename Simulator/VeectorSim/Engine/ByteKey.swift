/// Bytes as a dictionary key, hashed in one call over the whole buffer (an array of bytes hashes
/// element by element, which dominates lookups keyed by frames of hundreds of bytes).
struct ByteKey: Hashable, @unchecked Sendable {
    /// The bytes.
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (l: ByteKey, r: ByteKey) -> Bool { sameBytes(l.bytes, r.bytes) }
}
