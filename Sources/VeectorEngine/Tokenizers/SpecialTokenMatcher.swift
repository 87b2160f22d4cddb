/// Finds special tokens (such as `<|im_start|>`) in raw text so they are encoded as whole tokens before
/// any pre-tokenization or byte-pair merging, as llama.cpp and Hugging Face `tokenizers` do. At each
/// position the longest special token that matches wins.
public struct SpecialTokenMatcher: Sendable {
    /// One stretch of text: either ordinary text to encode, or a special token's id.
    public enum Segment: Sendable, Equatable {
        /// Ordinary text (a byte range of the input's UTF-8).
        case text(Range<Int>)
        /// A special token, matched in full.
        case special(Int)
    }

    /// The special tokens' UTF-8 bytes and ids, longest first.
    let candidates: [(bytes: [UInt8], id: Int)]
    /// Whether a byte can start a special token (a quick filter).
    let isFirstByte: [Bool]

    /// A matcher for these `(text, id)` pairs; empty texts are ignored.
    public init(_ tokens: [(text: String, id: Int)]) {
        let list = tokens.filter { !$0.text.isEmpty }.map { (bytes: Array($0.text.utf8), id: $0.id) }
        candidates = list.sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for candidate in candidates { first[Int(candidate.bytes[0])] = true }
        isFirstByte = first
    }

    /// `utf8` cut into ordinary text and special tokens, in order.
    public func segments(_ utf8: [UInt8]) -> [Segment] {
        var result: [Segment] = []
        var textStart = 0
        var i = 0
        let n = utf8.count
        outer: while i < n {
            if isFirstByte[Int(utf8[i])] {
                for candidate in candidates where candidate.bytes.count <= n - i {
                    var matches = true
                    for (k, byte) in candidate.bytes.enumerated() where utf8[i + k] != byte {
                        matches = false
                        break
                    }
                    if matches {
                        if textStart < i { result.append(.text(textStart..<i)) }
                        result.append(.special(candidate.id))
                        i += candidate.bytes.count
                        textStart = i
                        continue outer
                    }
                }
            }
            i += 1
        }
        if textStart < n { result.append(.text(textStart..<n)) }
        return result
    }
}
