/// SmolLM2's pre-tokenizer (`tokenizer.ggml.pre` = "smollm"), written by hand instead of with a regex
/// engine. It is llama.cpp's two successive splits for this model (and Hugging Face's
/// `Digits(individual_digits) + ByteLevel(use_regex)`):
/// 1. `\p{N}` — every numeric character becomes a piece of its own;
/// 2. within each remaining piece, GPT-2's regex
///    `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
/// Byte-pair merges then never cross a piece boundary.
public enum SmolLMPreTokenizer {
    /// The pieces of `text`, in order; concatenated they give `text` back.
    public static func split(_ text: String) -> [String] {
        let utf8 = Array(text.utf8)
        return pieces(of: text).map { String(decoding: utf8[$0], as: UTF8.self) }
    }

    /// The pieces of `text` as byte ranges into `text.utf8`, in order and covering it exactly.
    public static func pieces(of text: String) -> [Range<Int>] {
        var scalars: [UInt32] = []
        var classes: [CharacterClass] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(text.utf8.count)
        classes.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var offset = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value)
            classes.append(CharacterClass(scalar))
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)

        var result: [Range<Int>] = []
        result.reserveCapacity(scalars.count / 3)
        var i = 0
        let n = scalars.count
        while i < n {
            if classes[i] == .number {
                result.append(offsets[i]..<offsets[i + 1])
                i += 1
                continue
            }
            var end = i
            while end < n && classes[end] != .number { end += 1 }
            splitGPT2(scalars, classes, i, end) { lo, hi in result.append(offsets[lo]..<offsets[hi]) }
            i = end
        }
        return result
    }

    /// GPT-2's regex over scalars `lo..<hi`, which the regex sees as a whole string.
    static func splitGPT2(_ s: [UInt32], _ c: [CharacterClass], _ lo: Int, _ hi: Int,
                          _ emit: (Int, Int) -> Void) {
        var i = lo
        while i < hi {
            if s[i] == 0x27, i + 1 < hi {  // 's 't 'm 'd 're 've 'll
                let a = s[i + 1]
                if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 {
                    emit(i, i + 2); i += 2; continue
                }
                if i + 2 < hi {
                    let b = s[i + 2]
                    if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) {
                        emit(i, i + 3); i += 3; continue
                    }
                }
            }
            let j = (s[i] == 0x20 && i + 1 < hi) ? i + 1 : i
            let kind = c[j]
            if kind != .whitespace {
                var k = j + 1
                while k < hi && c[k] == kind { k += 1 }
                emit(i, k); i = k; continue
            }
            // Whitespace: `\s+(?!\S)` keeps the last one for the next piece when a non-space follows,
            // and `\s+` takes a lone whitespace character that precedes a non-space.
            var k = i + 1
            while k < hi && c[k] == .whitespace { k += 1 }
            if k < hi && k - i > 1 { k -= 1 }
            emit(i, k); i = k
        }
    }

    /// The classes the regex distinguishes: `\p{L}`, `\p{N}`, `\s` and everything else.
    enum CharacterClass: UInt8 {
        case letter, number, whitespace, other

        init(_ scalar: Unicode.Scalar) {
            let v = scalar.value
            if v < 0x80 {
                switch v {
                case 0x41...0x5A, 0x61...0x7A: self = .letter
                case 0x30...0x39: self = .number
                case 0x09...0x0D, 0x20: self = .whitespace
                default: self = .other
                }
                return
            }
            if scalar.properties.isWhitespace { self = .whitespace; return }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                self = .letter
            case .decimalNumber, .letterNumber, .otherNumber:
                self = .number
            default:
                self = .other
            }
        }
    }
}
