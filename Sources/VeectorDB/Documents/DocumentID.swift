import ContentID
import VeectorCrypto

/// A document's permanent random identity (16 bytes), shown as 26 base32 characters; any unique
/// prefix of at least 4 characters names it on the command line.
public struct DocumentID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The 16 bytes.
    public let bytes: [UInt8]

    /// Wraps 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// A fresh random ID.
    public static func random() -> DocumentID { DocumentID(bytes: SecureRandom.bytes(16))! }

    /// Parses the full 26-character form.
    public init?(_ text: String) {
        guard text.count == 26, let b = try? Multibase.decodeBase32(Substring(text.lowercased())), b.count == 16 else { return nil }
        bytes = b
    }

    /// The 26-character base32 form.
    public var description: String { String(Multibase.encodeBase32(bytes).dropFirst()) }

    /// The first 10 characters: what listings show.
    public var short: String { String(description.prefix(10)) }

    public static func < (a: DocumentID, b: DocumentID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
