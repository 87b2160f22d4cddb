import Crypto

/// A self-describing hash digest: varint hash-function code, varint digest length, digest.
/// Veector hashes content with sha2-256 (code 0x12), which IPFS uses by default.
public struct Multihash: Hashable, Sendable {
    /// The multihash code of sha2-256.
    public static let sha256Code: UInt64 = 0x12
    /// The multihash code of the identity "hash" (the digest is the data itself).
    public static let identityCode: UInt64 = 0x00
    /// Longest digest accepted when parsing (guards against absurd declared lengths).
    public static let maxDigestLength = 1024

    /// The hash-function code (0x12 for sha2-256).
    public let code: UInt64
    /// The digest bytes.
    public let digest: [UInt8]

    /// Wraps an existing digest. sha2-256 digests must be 32 bytes (a programming error otherwise).
    public init(code: UInt64, digest: [UInt8]) {
        precondition(code != Self.sha256Code || digest.count == 32, "Multihash: a sha2-256 digest must be 32 bytes")
        self.code = code
        self.digest = digest
    }

    /// The sha2-256 multihash of `data`.
    public static func sha256(_ data: [UInt8]) -> Multihash {
        data.withUnsafeBytes { sha256($0) }
    }

    /// The sha2-256 multihash of bytes lent by pointer.
    public static func sha256(_ data: UnsafeRawBufferPointer) -> Multihash {
        var hasher = SHA256()
        hasher.update(bufferPointer: data)
        return Multihash(code: sha256Code, digest: Array(hasher.finalize()))
    }

    /// The binary form: varint code, varint length, digest.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(digest.count + 4)
        append(to: &out)
        return out
    }

    /// Appends the binary form to `out`.
    public func append(to out: inout [UInt8]) {
        Varint.append(code, to: &out)
        Varint.append(UInt64(digest.count), to: &out)
        out.append(contentsOf: digest)
    }

    /// Parses a complete binary multihash (no bytes may follow it).
    public init(bytes: [UInt8]) throws(ContentIDError) {
        let (hash, length) = try Multihash.parse(bytes, at: 0)
        guard length == bytes.count else { throw .trailingBytes(bytes.count - length) }
        self = hash
    }

    /// Parses a multihash starting at `offset`; returns it and how many bytes it took.
    static func parse(_ bytes: [UInt8], at offset: Int) throws(ContentIDError) -> (Multihash, Int) {
        let (code, codeLength) = try Varint.decode(bytes, at: offset)
        let (declared, lengthLength) = try Varint.decode(bytes, at: offset + codeLength)
        let start = offset + codeLength + lengthLength
        let available = bytes.count - start
        guard declared <= UInt64(maxDigestLength), Int(declared) <= available else {
            throw .multihashTruncated(declared: Int(min(declared, UInt64(Int.max))), got: available)
        }
        let n = Int(declared)
        if code == sha256Code && n != 32 { throw .wrongDigestLength(code: code, expected: 32, got: n) }
        return (Multihash(code: code, digest: Array(bytes[start ..< start + n])), start + n - offset)
    }
}
