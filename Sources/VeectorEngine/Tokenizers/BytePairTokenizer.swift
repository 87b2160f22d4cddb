/// Byte-level BPE (GPT-2 style) as SmolLM2 uses it: text is cut at special tokens, pre-tokenized with
/// `SmolLMPreTokenizer`, each piece's UTF-8 bytes become one token per byte (via `ByteUnicodeMapping`)
/// and adjacent tokens are merged, lowest merge rank first (leftmost on ties), until no merge applies.
/// `decodeBytes(encode(text))` gives back `text`'s UTF-8 exactly, except for bytes that have no token
/// (`unencodableBytes`), which are dropped as Hugging Face `tokenizers` and llama.cpp drop them.
/// SmolLM2 lacks 21 of the 256: bytes that never occur in UTF-8 (0xC0, 0xC1, 0xF5–0xFF), the lead
/// bytes 0xF1 and 0xF2 (planes 4–11, all unassigned) and six C0 controls (0x04, 0x06, 0x13, 0x14,
/// 0x16, 0x1D); all other text round-trips.
public struct BytePairTokenizer: Sendable {
    /// The vocabulary as stored: token id → token text (byte-mapped for ordinary tokens).
    public let tokens: [String]
    /// The ids of the special tokens, which are matched whole in raw text and decode to their own text.
    public let specialTokenIDs: Set<Int>
    /// The beginning-of-sequence token, if the model names one (SmolLM2: 1, `<|im_start|>`).
    public let bosTokenID: Int?
    /// The end-of-sequence token, if the model names one (SmolLM2: 2, `<|im_end|>`).
    public let eosTokenID: Int?
    /// The number of merge rules.
    public let mergeCount: Int
    /// The byte values with no single-byte token; `encode` drops them.
    public let unencodableBytes: [UInt8]

    /// Token text → id.
    let idForToken: [String: Int]
    /// Byte value → the id of its single-byte token, or -1 when the vocabulary has none.
    let byteTokenIDs: [Int32]
    /// `left << 32 | right` → `rank << 32 | merged id`.
    let merges: [UInt64: UInt64]
    /// Token id → the bytes it decodes to.
    let tokenBytes: [[UInt8]]
    /// Finds special tokens in raw text.
    let specialMatcher: SpecialTokenMatcher

    /// A tokenizer from a vocabulary, merge rules ("left right", highest priority first) and the ids of
    /// the special tokens. Throws when a merge does not fit the vocabulary or a token repeats.
    public init(tokens: [String], merges mergeRules: [String], specialTokenIDs: Set<Int> = [],
                bosTokenID: Int? = nil, eosTokenID: Int? = nil) throws(TokenizerError) {
        var idForToken: [String: Int] = [:]
        idForToken.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            if idForToken[token] != nil {
                // Hugging Face keeps the first; so do we, but only special tokens may repeat.
                if !specialTokenIDs.contains(id) { throw .duplicateToken(token, index: id) }
                continue
            }
            idForToken[token] = id
        }
        var byteTokenIDs = [Int32](repeating: -1, count: 256)
        var unencodable: [UInt8] = []
        for byte in 0..<256 {
            if let id = idForToken[String(ByteUnicodeMapping.characterForByte[byte])] {
                byteTokenIDs[byte] = Int32(id)
            } else {
                unencodable.append(UInt8(byte))
            }
        }
        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(mergeRules.count)
        for (rank, rule) in mergeRules.enumerated() {
            let parts = rule.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, let left = idForToken[String(parts[0])],
                  let right = idForToken[String(parts[1])],
                  let merged = idForToken[String(parts[0]) + String(parts[1])]
            else { throw .badMerge(index: rank, merge: rule) }
            let key = UInt64(left) << 32 | UInt64(right)
            if merges[key] == nil { merges[key] = UInt64(rank) << 32 | UInt64(merged) }
        }
        self.tokens = tokens
        self.specialTokenIDs = specialTokenIDs
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.mergeCount = mergeRules.count
        self.unencodableBytes = unencodable
        self.idForToken = idForToken
        self.byteTokenIDs = byteTokenIDs
        self.merges = merges
        self.tokenBytes = tokens.enumerated().map { id, token in
            specialTokenIDs.contains(id) ? Array(token.utf8) : ByteUnicodeMapping.decode(token)
        }
        self.specialMatcher = SpecialTokenMatcher(specialTokenIDs.sorted().map { (tokens[$0], $0) })
    }

    /// The tokenizer stored in a GGUF's metadata (`tokenizer.ggml.*`): model "gpt2" with pre-tokenizer
    /// "smollm"; tokens of type 3 (control) and 4 (user-defined) are the special tokens.
    public init(gguf: GGUFFile) throws(TokenizerError) {
        func strings(_ key: String) throws(TokenizerError) -> [String] {
            guard let array = gguf[key] else { throw .missingMetadata(key: key) }
            guard let values = array.arrayValue else { throw .badMetadata(key: key, reason: "not an array") }
            var result: [String] = []
            result.reserveCapacity(values.count)
            for (index, value) in values.enumerated() {
                guard let text = value.stringValue else {
                    throw .badMetadata(key: key, reason: "element \(index) is not a string")
                }
                result.append(text)
            }
            return result
        }
        guard let model = gguf["tokenizer.ggml.model"]?.stringValue else {
            throw .missingMetadata(key: "tokenizer.ggml.model")
        }
        guard model == "gpt2" else { throw .unsupported(what: "tokenizer.ggml.model", value: model) }
        let pre = gguf["tokenizer.ggml.pre"]?.stringValue ?? "default"
        guard pre == "smollm" else { throw .unsupported(what: "tokenizer.ggml.pre", value: pre) }
        let tokens = try strings("tokenizer.ggml.tokens")
        let merges = try strings("tokenizer.ggml.merges")
        var special = Set<Int>()
        if let types = gguf["tokenizer.ggml.token_type"]?.arrayValue {
            guard types.count == tokens.count else {
                throw .badMetadata(key: "tokenizer.ggml.token_type",
                                   reason: "\(types.count) types for \(tokens.count) tokens")
            }
            for (id, type) in types.enumerated() where type.intValue == 3 || type.intValue == 4 {
                special.insert(id)
            }
        }
        func tokenID(_ key: String) throws(TokenizerError) -> Int? {
            guard let value = gguf[key] else { return nil }
            guard let id = value.intValue, id >= 0, id < tokens.count else {
                throw .badMetadata(key: key, reason: "not a token id below \(tokens.count)")
            }
            return id
        }
        try self.init(tokens: tokens, merges: merges, specialTokenIDs: special,
                      bosTokenID: tokenID("tokenizer.ggml.bos_token_id"),
                      eosTokenID: tokenID("tokenizer.ggml.eos_token_id"))
    }

    /// The id of a token given its stored text, if it is in the vocabulary.
    public func id(of token: String) -> Int? { idForToken[token] }

    /// The token ids of `text`. With `parseSpecialTokens` (the default, as for chat prompts) special
    /// tokens written in the text are recognised as whole tokens; without it they are ordinary text.
    /// No BOS is added (SmolLM2's `add_bos_token` is false).
    public func encode(_ text: String, parseSpecialTokens: Bool = true) -> [Int] {
        let utf8 = Array(text.utf8)
        let segments: [SpecialTokenMatcher.Segment] =
            parseSpecialTokens ? specialMatcher.segments(utf8) : (utf8.isEmpty ? [] : [.text(0..<utf8.count)])
        var result: [Int] = []
        result.reserveCapacity(utf8.count / 3)
        var cache: [ArraySlice<UInt8>: [Int32]] = [:]
        var word: [Int32] = []
        for segment in segments {
            switch segment {
            case let .special(id):
                result.append(id)
            case let .text(range):
                let segmentBytes = utf8[range]
                let base = range.lowerBound
                let pieces = SmolLMPreTokenizer.pieces(of: String(decoding: segmentBytes, as: UTF8.self))
                for piece in pieces {
                    let bytes = utf8[(base + piece.lowerBound)..<(base + piece.upperBound)]
                    if let cached = cache[bytes] {
                        for id in cached { result.append(Int(id)) }
                        continue
                    }
                    word.removeAll(keepingCapacity: true)
                    for byte in bytes {
                        let id = byteTokenIDs[Int(byte)]
                        if id >= 0 { word.append(id) }
                    }
                    mergeInPlace(&word)
                    if cache.count < 1 << 16 { cache[bytes] = word }
                    for id in word { result.append(Int(id)) }
                }
            }
        }
        return result
    }

    /// Applies the merge rules to `word` (token ids), lowest rank first and leftmost among equals.
    func mergeInPlace(_ word: inout [Int32]) {
        while word.count > 1 {
            var best = UInt64.max
            var bestIndex = -1
            for k in 0..<(word.count - 1) {
                let key = UInt64(UInt32(bitPattern: word[k])) << 32 | UInt64(UInt32(bitPattern: word[k + 1]))
                if let value = merges[key], value < best {
                    best = value
                    bestIndex = k
                }
            }
            if bestIndex < 0 { return }
            word[bestIndex] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            word.remove(at: bestIndex + 1)
        }
    }

    /// The bytes `ids` stand for, concatenated; special tokens give their own text. Ids outside the
    /// vocabulary are skipped. A prefix of a generation may end inside a UTF-8 character.
    public func decodeBytes(_ ids: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids where id >= 0 && id < tokenBytes.count { bytes.append(contentsOf: tokenBytes[id]) }
        return bytes
    }

    /// The text `ids` stand for (invalid UTF-8, possible for arbitrary ids, becomes U+FFFD).
    public func decode(_ ids: [Int]) -> String {
        String(decoding: decodeBytes(ids), as: UTF8.self)
    }
}
