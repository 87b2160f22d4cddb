import ContentID
import Crypto

/// Names one share — one signed share record — in the sender's outbox and the recipient's inbox:
/// the first 16 bytes of SHA-256 of the record's encoding, shown as 26 base32 characters (any
/// unique prefix of at least 4 names it on the command line).
public struct ShareID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 16 bytes.
    public let bytes: [UInt8]

    /// Wraps 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The ID of the share whose record encodes to `record`.
    public init(record: [UInt8]) {
        bytes = Array(SHA256.hash(data: record).prefix(16))
    }

    /// Parses the full 26-character form.
    public init?(_ text: String) {
        guard text.count == 26, let b = try? Multibase.decodeBase32(Substring(text.lowercased())), b.count == 16 else { return nil }
        bytes = b
    }

    /// The 26-character base32 form.
    public var description: String { String(Multibase.encodeBase32(bytes).dropFirst()) }

    /// The first 10 characters: what listings show.
    public var short: String { String(description.prefix(10)) }

    public static func < (a: ShareID, b: ShareID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
