/// Text encodings of binary identifiers, each named by a one-character prefix (multibase):
/// "b" base32 lower-case (RFC 4648, no padding; the CIDv1 default), "B" the same upper-case,
/// "z" base58btc (the Bitcoin alphabet; CIDv0 "Qm…" strings are base58btc without the prefix).
public enum Multibase {
    /// The RFC 4648 base32 alphabet in lower case.
    static let base32Alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
    /// The base58btc (Bitcoin) alphabet.
    static let base58Alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// `bytes` as "b" + lower-case base32 without padding.
    public static func encodeBase32(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "b")]
        out.reserveCapacity(1 + (bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(base32Alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { out.append(base32Alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base32 text without its prefix, lower case ("b") or, with `upperCase`, upper case
    /// ("B"); no padding. Throws at the first bad character with its position in the whole
    /// string (the prefix is position 0).
    public static func decodeBase32(_ text: Substring, upperCase: Bool = false) throws(ContentIDError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        var position = 0
        for c in text.unicodeScalars {
            position += 1
            let v: UInt32
            switch c.value {
            case 0x61...0x7A where !upperCase: v = c.value - 0x61   // a-z
            case 0x41...0x5A where upperCase: v = c.value - 0x41    // A-Z
            case 0x32...0x37: v = c.value - 0x32 + 26     // 2-7
            default: throw .invalidCharacter(Character(c), position: position, base: "base32")
            }
            buffer = (buffer << 5) | v
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        // Leftover bits must be fewer than 5 and zero, or the text was not made by an encoder.
        if bits >= 5 || buffer & ((1 << UInt32(bits)) - 1) != 0 { throw .invalidBase32Length(position) }
        return out
    }

    /// `bytes` as "z" + base58btc.
    public static func encodeBase58btc(_ bytes: [UInt8]) -> String {
        "z" + encodeBase58(bytes)
    }

    /// `bytes` in base58btc without any prefix (the CIDv0 form).
    public static func encodeBase58(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        var digits: [UInt8] = []                      // base-58 digits, least significant first
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let text = [UInt8](repeating: base58Alphabet[0], count: zeros) + digits.reversed().map { base58Alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes base58btc text without its prefix; `offset` is added to reported positions.
    public static func decodeBase58(_ text: Substring, positionOffset offset: Int = 0) throws(ContentIDError) -> [UInt8] {
        var bytes: [UInt8] = []                       // base-256 digits, least significant first
        var zeros = 0
        var leading = true
        var position = offset
        for c in text.unicodeScalars {
            guard c.isASCII, let v = base58Alphabet.firstIndex(of: UInt8(c.value)) else {
                throw .invalidCharacter(Character(c), position: position, base: "base58btc")
            }
            position += 1
            if leading && v == 0 { zeros += 1; continue }
            leading = false
            var carry = v
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }

    /// Decodes any supported multibase string by its prefix.
    public static func decode(_ text: String) throws(ContentIDError) -> [UInt8] {
        guard let prefix = text.first else { throw .empty }
        let rest = text.dropFirst()
        switch prefix {
        case "b": return try decodeBase32(rest)
        case "B": return try decodeBase32(rest, upperCase: true)
        case "z": return try decodeBase58(rest, positionOffset: 1)
        default: throw .unsupportedMultibase(prefix)
        }
    }
}
