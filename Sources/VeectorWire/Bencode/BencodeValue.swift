/// One bencoded value (BEP 3): the data model of every KRPC message and of BEP 44 items.
///
/// Byte strings are raw bytes, never text. Dictionary keys are byte strings; the encoder writes
/// them in sorted (raw byte) order, which is the only order the strict decoder accepts.
public enum BencodeValue: Hashable, Sendable {
    /// `i<decimal>e`, a signed 64-bit integer (larger values are rejected on decode).
    case integer(Int64)
    /// `<length>:<bytes>`, a byte string.
    case bytes([UInt8])
    /// `l<values>e`, an ordered list.
    case list([BencodeValue])
    /// `d<key><value>...e`, a dictionary with byte-string keys.
    case dictionary([[UInt8]: BencodeValue])
}

extension BencodeValue {
    /// Makes a byte string from UTF-8 text (for keys and ASCII method names).
    public static func string(_ text: String) -> BencodeValue { .bytes(Array(text.utf8)) }

    /// Makes a dictionary from text keys (UTF-8 encoded).
    public static func dict(_ entries: [String: BencodeValue]) -> BencodeValue {
        var out: [[UInt8]: BencodeValue] = [:]
        for (key, value) in entries { out[Array(key.utf8)] = value }
        return .dictionary(out)
    }

    /// The integer, if this is one.
    public var integerValue: Int64? { if case let .integer(v) = self { v } else { nil } }
    /// The bytes, if this is a byte string.
    public var bytesValue: [UInt8]? { if case let .bytes(v) = self { v } else { nil } }
    /// The elements, if this is a list.
    public var listValue: [BencodeValue]? { if case let .list(v) = self { v } else { nil } }
    /// The entries, if this is a dictionary.
    public var dictionaryValue: [[UInt8]: BencodeValue]? { if case let .dictionary(v) = self { v } else { nil } }

    /// The value under a text key, if this is a dictionary holding it.
    public subscript(key: String) -> BencodeValue? { dictionaryValue?[Array(key.utf8)] }
}

extension BencodeValue: ExpressibleByIntegerLiteral {
    /// An integer literal is a bencoded integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension BencodeValue: ExpressibleByStringLiteral {
    /// A string literal is a byte string of its UTF-8 bytes.
    public init(stringLiteral value: String) { self = .bytes(Array(value.utf8)) }
}

extension BencodeValue: ExpressibleByArrayLiteral {
    /// An array literal is a list.
    public init(arrayLiteral elements: BencodeValue...) { self = .list(elements) }
}

extension BencodeValue: ExpressibleByDictionaryLiteral {
    /// A dictionary literal with text keys is a dictionary (later duplicates win).
    public init(dictionaryLiteral elements: (String, BencodeValue)...) {
        var out: [[UInt8]: BencodeValue] = [:]
        for (key, value) in elements { out[Array(key.utf8)] = value }
        self = .dictionary(out)
    }
}
