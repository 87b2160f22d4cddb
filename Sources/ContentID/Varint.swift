/// Unsigned LEB128 varints as multiformats uses them (the numbers inside CIDs and multihashes):
/// 7 bits per byte, low bits first, high bit set on every byte but the last; at most 9 bytes
/// (values below 2^63) and always in the shortest form.
public enum Varint {
    /// Largest value a multiformats varint may hold (2^63 - 1).
    public static let maxValue: UInt64 = (1 << 63) - 1
    /// Most bytes a multiformats varint may take.
    public static let maxBytes = 9

    /// Encodes `value` (at most `maxValue`; larger is a programming error).
    public static func encode(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    /// Appends the encoding of `value` to `bytes`.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        precondition(value <= maxValue, "Varint: \(value) exceeds the multiformats limit of 2^63 - 1")
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Decodes the varint starting at `offset`; returns its value and how many bytes it took.
    public static func decode(_ bytes: some Collection<UInt8>, at offset: Int = 0) throws(ContentIDError) -> (value: UInt64, length: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = bytes.index(bytes.startIndex, offsetBy: offset)
        var length = 0
        while index != bytes.endIndex {
            let byte = bytes[index]
            length += 1
            if length > maxBytes { throw .varintOverlong }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && length > 1 { throw .varintNotMinimal }
                return (value, length)
            }
            shift += 7
            index = bytes.index(after: index)
        }
        throw .varintTruncated
    }
}
