/// GPT-2's reversible mapping between the 256 byte values and 256 printable Unicode characters, which
/// lets byte-level BPE vocabularies store tokens (and any byte sequence) as ordinary strings: printable
/// Latin-1 bytes map to themselves, the others (controls, space, 0x7F–0xA0, 0xAD) to U+0100 onwards.
/// A space is stored as "Ġ" (U+0120), a newline as "Ċ" (U+010A).
public enum ByteUnicodeMapping {
    /// The character standing for each byte value, indexed by byte.
    public static let characterForByte: [Unicode.Scalar] = {
        var result = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                result[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                result[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return result
    }()

    /// The byte each mapping character stands for (the inverse of `characterForByte`).
    public static let byteForCharacter: [Unicode.Scalar: UInt8] = {
        var result: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in characterForByte.enumerated() { result[scalar] = UInt8(byte) }
        return result
    }()

    /// The mapped string for raw bytes, as it appears in a byte-level BPE vocabulary.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(characterForByte[Int(byte)]) }
        return String(view)
    }

    /// The raw bytes of a mapped string; characters outside the mapping keep their own UTF-8 bytes.
    public static func decode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = byteForCharacter[scalar] {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
