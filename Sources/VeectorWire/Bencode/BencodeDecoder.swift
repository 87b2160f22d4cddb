/// A strict bencode (BEP 3) parser: accepts only canonical input unless told to tolerate peers
/// that write dictionary keys out of order, and bounds nesting so hostile input cannot exhaust
/// the stack.
public struct BencodeDecoder: Sendable {
    /// Deepest list/dictionary nesting accepted (KRPC needs 4).
    public var maxDepth: Int
    /// Accept dictionaries whose keys are not in sorted order (duplicates are still rejected).
    public var allowUnsortedKeys: Bool

    /// A decoder with the given limits; the defaults are strict.
    public init(maxDepth: Int = 32, allowUnsortedKeys: Bool = false) {
        self.maxDepth = maxDepth
        self.allowUnsortedKeys = allowUnsortedKeys
    }

    /// Decodes exactly one value that spans all of `bytes`.
    public func decode(_ bytes: [UInt8]) throws(BencodeError) -> BencodeValue {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth, allowUnsorted: allowUnsortedKeys)
        let value = try parser.value(depth: 0)
        guard parser.pos == bytes.count else { throw BencodeError(.trailingBytes, at: parser.pos) }
        return value
    }
}

extension BencodeValue {
    /// Decodes `bytes` strictly (see `BencodeDecoder`).
    public init(decoding bytes: [UInt8]) throws(BencodeError) {
        self = try BencodeDecoder().decode(bytes)
    }
}

/// The cursor over the input; one per decode call.
private struct Parser {
    let bytes: [UInt8]
    let maxDepth: Int
    let allowUnsorted: Bool
    var pos = 0

    init(bytes: [UInt8], maxDepth: Int, allowUnsorted: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.allowUnsorted = allowUnsorted
    }

    func peek() throws(BencodeError) -> UInt8 {
        guard pos < bytes.count else { throw BencodeError(.truncated, at: pos) }
        return bytes[pos]
    }

    mutating func value(depth: Int) throws(BencodeError) -> BencodeValue {
        let c = try peek()
        switch c {
        case UInt8(ascii: "i"):
            pos += 1
            return .integer(try integer(terminator: UInt8(ascii: "e")))
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .bytes(try string())
        case UInt8(ascii: "l"):
            guard depth < maxDepth else { throw BencodeError(.tooDeep(limit: maxDepth), at: pos) }
            pos += 1
            var items: [BencodeValue] = []
            while try peek() != UInt8(ascii: "e") {
                items.append(try value(depth: depth + 1))
            }
            pos += 1
            return .list(items)
        case UInt8(ascii: "d"):
            guard depth < maxDepth else { throw BencodeError(.tooDeep(limit: maxDepth), at: pos) }
            pos += 1
            var entries: [[UInt8]: BencodeValue] = [:]
            var previous: [UInt8]? = nil
            while true {
                let k = try peek()
                if k == UInt8(ascii: "e") { break }
                let keyOffset = pos
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(k) else {
                    throw BencodeError(.keyNotAString, at: keyOffset)
                }
                let key = try string()
                if let previous, !allowUnsorted {
                    if previous == key { throw BencodeError(.duplicateKey, at: keyOffset) }
                    if !previous.lexicographicallyPrecedes(key) { throw BencodeError(.unsortedKey, at: keyOffset) }
                } else if entries[key] != nil {
                    throw BencodeError(.duplicateKey, at: keyOffset)
                }
                previous = key
                entries[key] = try value(depth: depth + 1)
            }
            pos += 1
            return .dictionary(entries)
        default:
            throw BencodeError(.unexpectedByte(c), at: pos)
        }
    }

    /// Reads `[-]digits` up to `terminator` (consumed) as a canonical Int64.
    mutating func integer(terminator: UInt8) throws(BencodeError) -> Int64 {
        let start = pos
        var negative = false
        if try peek() == UInt8(ascii: "-") { negative = true; pos += 1 }
        let digitsStart = pos
        var magnitude: UInt64 = 0
        while true {
            let c = try peek()
            if c == terminator { break }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else { throw BencodeError(.unexpectedByte(c), at: pos) }
            if pos > digitsStart, bytes[digitsStart] == UInt8(ascii: "0") { throw BencodeError(.leadingZero, at: digitsStart) }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw BencodeError(.integerOverflow, at: start) }
            magnitude = s
            pos += 1
        }
        guard pos > digitsStart else { throw BencodeError(.missingDigits, at: pos) }
        pos += 1 // terminator
        if negative {
            guard magnitude != 0 else { throw BencodeError(.negativeZero, at: start) }
            guard magnitude <= UInt64(Int64.max) + 1 else { throw BencodeError(.integerOverflow, at: start) }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw BencodeError(.integerOverflow, at: start) }
        return Int64(magnitude)
    }

    /// Reads `<length>:<bytes>`.
    mutating func string() throws(BencodeError) -> [UInt8] {
        let start = pos
        guard try peek() != UInt8(ascii: "-") else { throw BencodeError(.unexpectedByte(UInt8(ascii: "-")), at: pos) }
        let length: Int64
        do {
            length = try integer(terminator: UInt8(ascii: ":"))
        } catch where error.reason == .integerOverflow {
            throw BencodeError(.lengthExceedsInput(length: Int.max, remaining: bytes.count - start), at: start)
        }
        let remaining = bytes.count - pos
        guard length <= Int64(remaining) else {
            throw BencodeError(.lengthExceedsInput(length: Int(length), remaining: remaining), at: start)
        }
        let out = Array(bytes[pos..<(pos + Int(length))])
        pos += Int(length)
        return out
    }
}
