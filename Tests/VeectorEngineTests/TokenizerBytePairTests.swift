import Testing
import VeectorTestSupport
import VeectorEngine

/// A byte-level BPE vocabulary built by hand: `specials` first (ids 0…), then the 256 byte tokens, then
/// one token per merge result, in merge order.
func toyBytePairTokenizer(merges: [String], specials: [String] = []) throws -> BytePairTokenizer {
    var tokens = specials + (0..<256).map { String(ByteUnicodeMapping.characterForByte[$0]) }
    for merge in merges {
        let merged = merge.split(separator: " ").joined()
        if !tokens.contains(merged) { tokens.append(merged) }
    }
    return try BytePairTokenizer(tokens: tokens, merges: merges, specialTokenIDs: Set(0..<specials.count))
}

/// The seeded generator of these tests (VeectorTestSupport's splitmix64), so random tests reproduce.
typealias TokenizerTestGenerator = SplitMix64

/// A random string mixing ASCII, whitespace, digits, apostrophes, Latin-1, combining marks, Cyrillic,
/// CJK, emoji (with modifiers and ZWJ), and now and then a special token's text.
func randomTokenizerText(_ rng: inout TokenizerTestGenerator, specials: [String] = []) -> String {
    let pools: [ClosedRange<UInt32>] = [
        0x20...0x7E, 0x20...0x20, 0x09...0x0D, 0x30...0x39, 0x27...0x27, 0xA0...0xFF, 0x300...0x36F,
        0x400...0x4FF, 0x4E00...0x9FFF, 0x1F300...0x1F64F, 0x1F3FB...0x1F3FF, 0x200D...0x200D,
        0x3000...0x3000, 0x2160...0x2188, 0xFF01...0xFF5E, 0x10000...0x10FFF,
    ]
    var text = ""
    for _ in 0..<Int.random(in: 0...40, using: &rng) {
        if !specials.isEmpty && Int.random(in: 0..<20, using: &rng) == 0 {
            text += specials.randomElement(using: &rng)!
            continue
        }
        let pool = pools.randomElement(using: &rng)!
        if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) { text.unicodeScalars.append(scalar) }
    }
    return text
}

@Suite struct TokenizerBytePairTests {
    @Test func byteMappingIsGPT2s() {
        let map = ByteUnicodeMapping.characterForByte
        #expect(Set(map).count == 256)
        #expect(map[0x20] == "\u{120}" && map[0x0A] == "\u{10A}" && map[0x41] == "A" && map[0xAD] == "\u{143}")
        #expect(map[0] == "\u{100}" && map[0x7F] == "\u{121}" && map[0xFF] == "\u{FF}")
        let all = (0...255).map { UInt8($0) }
        #expect(ByteUnicodeMapping.decode(ByteUnicodeMapping.encode(all)) == all)
        #expect(ByteUnicodeMapping.encode(Array(" the\n".utf8)) == "ĠtheĊ")
    }

    @Test func preTokenizerMatchesHuggingFace() {
        // Expected pieces from Hugging Face `tokenizers` 0.23.3: Sequence([Digits(individual_digits=True),
        // ByteLevel(add_prefix_space=False, use_regex=True)]).pre_tokenize_str(text), bytes mapped back.
        let cases: [(String, [String])] = [
            ("Hello world", ["Hello", " world"]),
            ("I'm here", ["I", "'m", " here"]),
            ("a  b", ["a", " ", " b"]),
            ("x\n\ny", ["x", "\n", "\n", "y"]),
            (" 42", [" ", "4", "2"]),
            ("trailing  ", ["trailing", "  "]),
            ("'s'S", ["'s", "'", "S"]),
            ("$1,000", ["$", "1", ",", "0", "0", "0"]),
            ("don't!!", ["don", "'t", "!!"]),
            ("a\t b", ["a", "\t", " b"]),
            ("  été 2½", [" ", " été", " ", "2", "½"]),
            ("''ll'LL", ["''", "ll", "'", "LL"]),
            ("\u{A0}x \u{3000}y", ["\u{A0}", "x", " ", "\u{3000}", "y"]),
            ("", []),
        ]
        for (text, pieces) in cases {
            #expect(SmolLMPreTokenizer.split(text) == pieces, "\(text.debugDescription)")
        }
    }

    @Test func mergesApplyLowestRankFirst() throws {
        let abFirst = try toyBytePairTokenizer(merges: ["a b", "b c"])
        #expect(abFirst.encode("abc").map { abFirst.tokens[$0] } == ["ab", "c"])
        let bcFirst = try toyBytePairTokenizer(merges: ["b c", "a b"])
        #expect(bcFirst.encode("abc").map { bcFirst.tokens[$0] } == ["a", "bc"])
        let ties = try toyBytePairTokenizer(merges: ["a a"])
        #expect(ties.encode("aaa").map { ties.tokens[$0] } == ["aa", "a"])
        let chain = try toyBytePairTokenizer(merges: ["Ġ t", "h e", "Ġt he", "Ġthe r"])
        #expect(chain.encode(" the there").map { chain.tokens[$0] } == ["Ġthe", "Ġther", "e"])
    }

    @Test func mergesNeverCrossPieces() throws {
        let tokenizer = try toyBytePairTokenizer(merges: ["b Ġ", "1 2"])
        #expect(tokenizer.encode("ab cd").map { tokenizer.tokens[$0] } == ["a", "b", "Ġ", "c", "d"])
        #expect(tokenizer.encode("12").map { tokenizer.tokens[$0] } == ["1", "2"])
    }

    @Test func anyByteIsEncodable() throws {
        let tokenizer = try toyBytePairTokenizer(merges: [])
        let wave = "👋"
        let ids = tokenizer.encode(wave)
        #expect(ids == Array(wave.utf8).map { tokenizer.id(of: String(ByteUnicodeMapping.characterForByte[Int($0)]))! })
        #expect(ids.count == 4 && tokenizer.decode(ids) == wave)
        #expect(tokenizer.decodeBytes(Array(ids.prefix(2))) == [0xF0, 0x9F])
        #expect(tokenizer.decode(Array(ids.prefix(2))) == "\u{FFFD}")
    }

    @Test func specialTokensAreWhole() throws {
        let tokenizer = try toyBytePairTokenizer(merges: ["u s", "us e", "use r"],
                                                 specials: ["<|im_start|>", "<|im_end|>", "<|im"])
        let ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|><|im")
        #expect(ids.first == 0 && ids.contains(1) && ids.last == 2)
        #expect(ids.map { tokenizer.tokens[$0] } == ["<|im_start|>", "user", "Ċ", "h", "i", "<|im_end|>", "<|im"])
        #expect(tokenizer.decode(ids) == "<|im_start|>user\nhi<|im_end|><|im")
        let plain = tokenizer.encode("<|im_end|>", parseSpecialTokens: false)
        #expect(plain.count == 10 && !plain.contains(1))
        #expect(tokenizer.decode(plain) == "<|im_end|>")
    }

    @Test func randomTextRoundTrips() throws {
        var rng = TokenizerTestGenerator(seed: 0x5EED_70C5)
        let specials = ["<|im_start|>", "<|im_end|>"]
        var merges: [String] = []
        var seen = Set<String>()
        // Merges over common ASCII pairs and some multi-byte prefixes, so merging is exercised.
        let alphabet = Array("etaoin shrdlu'0\n").map { ByteUnicodeMapping.encode(Array(String($0).utf8)) }
        for left in alphabet { for right in alphabet where seen.insert(left + right).inserted {
            merges.append("\(left) \(right)")
        } }
        merges.append(contentsOf: ["ä ¸", "ð Ł", "ðŁ ĳ"])
        let tokenizer = try toyBytePairTokenizer(merges: merges, specials: specials)
        for _ in 0..<2000 {
            let text = randomTokenizerText(&rng, specials: specials)
            let ids = tokenizer.encode(text)
            #expect(tokenizer.decodeBytes(ids) == Array(text.utf8), "\(text.debugDescription)")
            #expect(tokenizer.decode(ids) == text)
            #expect(SmolLMPreTokenizer.split(text).joined() == text)
        }
    }

    @Test func bytesWithoutTokensAreDropped() throws {
        // As Hugging Face `tokenizers` does: encode("a\u{4}b") gives ["a", "b"] (\u{4} is a piece of its own) with SmolLM2's vocabulary.
        let tokenizer = try BytePairTokenizer(tokens: ["a", "b", "Ġ", "ab"], merges: ["a b"])
        #expect(tokenizer.unencodableBytes.count == 253 && !tokenizer.unencodableBytes.contains(0x61))
        #expect(tokenizer.encode("ab\u{4}ab").map { tokenizer.tokens[$0] } == ["ab", "ab"])
        #expect(tokenizer.encode("é a") == [2, 0])
    }

    @Test func rejectsBadVocabularies() throws {
        #expect(throws: TokenizerError.badMerge(index: 0, merge: "a z")) {
            let tokens = (0..<256).map { String(ByteUnicodeMapping.characterForByte[$0]) }
            _ = try BytePairTokenizer(tokens: tokens, merges: ["a z"])
        }
    }
}
