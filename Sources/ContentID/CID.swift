/// A content identifier (CIDv1): names bytes by their hash, compatible with IPFS.
///
/// Binary form: varint version (1), varint codec, multihash. Text form: multibase base32
/// lower-case, e.g. `bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e` for the raw
/// bytes "hello world". CIDv0 strings ("Qm…") and bytes are accepted and become the equivalent
/// CIDv1 with the dag-pb codec; Veector always writes v1. See Spec/content-id.md.
public struct CID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// How the content is encoded (Veector's blobs are `.raw`).
    public let codec: Multicodec
    /// The hash of the content.
    public let multihash: Multihash

    /// The CID version this value is written as (always 1).
    public var version: Int { 1 }

    /// Makes a CID from its parts.
    public init(codec: Multicodec, multihash: Multihash) {
        self.codec = codec
        self.multihash = multihash
    }

    /// The sha2-256 CID of `bytes` (`.raw` unless the bytes are encoded IPLD data).
    public static func sha256(of bytes: [UInt8], codec: Multicodec = .raw) -> CID {
        CID(codec: codec, multihash: .sha256(bytes))
    }

    /// The sha2-256 CID of bytes lent by pointer.
    public static func sha256(of bytes: UnsafeRawBufferPointer, codec: Multicodec = .raw) -> CID {
        CID(codec: codec, multihash: .sha256(bytes))
    }

    /// The sha2-256 digest if this CID uses sha2-256 (always, for CIDs Veector makes), else nil.
    public var sha256Digest: [UInt8]? {
        multihash.code == Multihash.sha256Code && multihash.digest.count == 32 ? multihash.digest : nil
    }

    /// The binary form: varint 1, varint codec, multihash bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + multihash.digest.count + 4)
        Varint.append(1, to: &out)
        Varint.append(codec.rawValue, to: &out)
        multihash.append(to: &out)
        return out
    }

    /// Parses the binary form (CIDv1, or a 34-byte CIDv0 sha2-256 multihash). No bytes may follow.
    public init(bytes: [UInt8]) throws(ContentIDError) {
        guard !bytes.isEmpty else { throw .empty }
        if bytes.count == 34 && bytes[0] == 0x12 && bytes[1] == 0x20 {
            self.init(codec: .dagPB, multihash: try Multihash(bytes: bytes))
            return
        }
        let (version, versionLength) = try Varint.decode(bytes)
        guard version == 1 else { throw .unsupportedVersion(version) }
        let (codec, codecLength) = try Varint.decode(bytes, at: versionLength)
        let start = versionLength + codecLength
        let (hash, hashLength) = try Multihash.parse(bytes, at: start)
        guard start + hashLength == bytes.count else { throw .trailingBytes(bytes.count - start - hashLength) }
        self.init(codec: Multicodec(rawValue: codec), multihash: hash)
    }

    /// Parses the text form: a multibase CIDv1 ("b…", "B…", "z…") or a CIDv0 ("Qm…", 46 characters).
    public init(_ string: String) throws(ContentIDError) {
        guard !string.isEmpty else { throw .empty }
        if string.utf8.count == 46 && string.hasPrefix("Qm") {
            let raw = try Multibase.decodeBase58(Substring(string))
            guard raw.count == 34, raw[0] == 0x12, raw[1] == 0x20 else {
                throw .invalidCIDv0("\"\(string)\" does not decode to a 34-byte sha2-256 multihash")
            }
            try self.init(bytes: raw)
            return
        }
        let raw = try Multibase.decode(string)
        if raw.first == 0x12 { throw .invalidCIDv0("a CIDv0 must be written in base58btc without a prefix (\"Qm…\")") }
        try self.init(bytes: raw)
    }

    /// The text form: "b" + base32 of `bytes`.
    public var description: String { Multibase.encodeBase32(bytes) }

    /// Orders CIDs by their binary form (bytewise), which is stable and cheap.
    public static func < (lhs: CID, rhs: CID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Decodes a CID from its text form (a single string).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the CID as its text form (a single string).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
