/// What is wrong with a content identifier, multihash, multibase string or varint that failed to
/// parse, with a message that says what to do.
public enum ContentIDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended in the middle of a varint.
    case varintTruncated
    /// A varint is longer than the 9 bytes multiformats allows.
    case varintOverlong
    /// A varint has a redundant trailing zero byte (multiformats requires the shortest form).
    case varintNotMinimal
    /// The input is empty.
    case empty
    /// A character is not valid in this multibase alphabet.
    case invalidCharacter(Character, position: Int, base: String)
    /// The base32 text has an impossible length or non-zero padding bits.
    case invalidBase32Length(Int)
    /// The multibase prefix is not one we read ("b"/"B" base32, "z" base58btc, or a "Qm…" CIDv0).
    case unsupportedMultibase(Character)
    /// A multihash declares more digest bytes than it has.
    case multihashTruncated(declared: Int, got: Int)
    /// A known hash function with the wrong digest length (e.g. sha2-256 must be 32 bytes).
    case wrongDigestLength(code: UInt64, expected: Int, got: Int)
    /// A CID version other than 0 or 1.
    case unsupportedVersion(UInt64)
    /// A CIDv0 that is not a 34-byte sha2-256 multihash.
    case invalidCIDv0(String)
    /// Bytes left over after a complete CID or multihash.
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .varintTruncated:
            return "varint truncated: the input ends inside a varint; the identifier was cut short, copy it again"
        case .varintOverlong:
            return "varint too long: multiformats varints are at most 9 bytes; the input is not a valid identifier"
        case .varintNotMinimal:
            return "varint not minimal: it ends with a redundant zero byte; re-encode it in the shortest form"
        case .empty:
            return "empty content identifier: pass a CID string such as bafkrei… or Qm…"
        case let .invalidCharacter(c, position, base):
            return "invalid character \"\(c)\" at position \(position) for \(base); check for typos or a copy/paste error"
        case let .invalidBase32Length(n):
            return "invalid base32 text of \(n) characters (bad length or padding bits); the identifier was cut or altered, copy it again"
        case let .unsupportedMultibase(c):
            return "unsupported multibase prefix \"\(c)\": use base32 (\"b…\"), base58btc (\"z…\") or a CIDv0 (\"Qm…\")"
        case let .multihashTruncated(declared, got):
            return "multihash truncated: it declares a \(declared)-byte digest but only \(got) bytes follow; the identifier was cut short"
        case let .wrongDigestLength(code, expected, got):
            return "multihash 0x\(String(code, radix: 16)) must have a \(expected)-byte digest, not \(got); the identifier is damaged"
        case let .unsupportedVersion(v):
            return "CID version \(v) is not supported (only 0 and 1); upgrade Veector or check the identifier"
        case let .invalidCIDv0(reason):
            return "invalid CIDv0: \(reason)"
        case let .trailingBytes(n):
            return "\(n) unexpected bytes after the end of the identifier; it was joined with other data"
        }
    }
}
