/// Why bencoded input was rejected, and the byte offset where the problem was found.
public struct BencodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Equatable, Sendable {
        /// The input ended in the middle of a value.
        case truncated
        /// A byte that cannot start or continue a value here.
        case unexpectedByte(UInt8)
        /// An integer or string length with a superfluous leading zero (`i03e`, `03:abc`).
        case leadingZero
        /// `i-0e`, which BEP 3 forbids.
        case negativeZero
        /// `ie`, `i-e` or a length with no digits.
        case missingDigits
        /// An integer that does not fit in 64 bits.
        case integerOverflow
        /// A string length larger than the bytes that remain.
        case lengthExceedsInput(length: Int, remaining: Int)
        /// A dictionary key that is not a byte string.
        case keyNotAString
        /// A dictionary key not greater than the key before it (strict mode).
        case unsortedKey
        /// A dictionary key that appears twice.
        case duplicateKey
        /// Lists or dictionaries nested deeper than the decoder's limit.
        case tooDeep(limit: Int)
        /// Bytes left over after one complete value.
        case trailingBytes
    }

    /// The kind of problem.
    public let reason: Reason
    /// Byte offset in the input where it was found.
    public let offset: Int

    /// Makes an error of `reason` at `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// One line saying what was wrong and where.
    public var description: String { "malformed bencode at byte \(offset): \(reason)" }
}
