import Foundation

/// BERT's basic tokenizer for uncased models (Hugging Face's `BertNormalizer` with clean_text,
/// handle_chinese_chars, lowercase and accent stripping, then `BertPreTokenizer`): drops NUL, U+FFFD and
/// control/format characters, turns whitespace into spaces, isolates CJK ideographs, strips accents
/// (Unicode NFD, then removes non-spacing marks), lower-cases each character, and splits on whitespace
/// and punctuation, every punctuation character becoming a word of its own.
public enum BertBasicTokenizer {
    /// The words of `text`, normalized, in order.
    public static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in normalizedScalars(text) {
            if scalar == " " {
                flush()
            } else if isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else if scalar.value < 0x80 {
                current.append(UInt8(scalar.value))
            } else {
                current.append(contentsOf: String(scalar).utf8)
            }
        }
        flush()
        return words
    }

    /// `text` cleaned, with CJK ideographs padded by spaces, accents stripped and lower-cased; every
    /// whitespace character is a plain space.
    public static func normalize(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: normalizedScalars(text))
        return String(view)
    }

    /// The scalars of `normalize(text)`.
    static func normalizedScalars(_ text: String) -> [Unicode.Scalar] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(text.utf8.count)
        var isASCII = true
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if v >= 0x41 && v <= 0x5A {
                    cleaned.append(Unicode.Scalar(UInt8(v + 32)))
                } else if v == 0x20 || (v >= 0x09 && v <= 0x0D) {
                    cleaned.append(" ")
                } else if v >= 0x20 && v != 0x7F {
                    cleaned.append(scalar)
                }
                continue
            }
            if v == 0xFFFD { continue }
            if isWhitespace(scalar) { cleaned.append(" "); continue }
            if isControl(scalar) { continue }
            isASCII = false
            if isChineseCharacter(v) {
                cleaned.append(" "); cleaned.append(scalar); cleaned.append(" ")
                continue
            }
            cleaned.append(scalar)
        }
        if isASCII { return cleaned }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: cleaned)
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(cleaned.count)
        for scalar in String(view).decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            let v = scalar.value
            if v < 0x80 {
                result.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 32)) : scalar)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    /// BERT's whitespace: tab, newline, carriage return and Unicode White_Space.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// BERT's control characters (removed): the "Other" categories except tab, newline, return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// BERT's punctuation: ASCII punctuation (which includes symbols such as `$`, `+`, `^`) and every
    /// Unicode punctuation category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v)
            || (0x7B...0x7E).contains(v) { return true }
        if v < 0x80 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT tokenizes one character at a time.
    static func isChineseCharacter(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v)
            || (0x2B920...0x2CEAF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x2F800...0x2FA1F).contains(v)
    }
}
