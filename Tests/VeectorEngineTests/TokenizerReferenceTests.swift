import Foundation
import Testing
import VeectorEngine

/// The two tokenizers against the real model files fetched by `scripts/fetch-models.sh`, compared with
/// token ids from Hugging Face `tokenizers`. When the files are absent (CI without models) each test
/// says so and returns: that is not a failure.
///
/// How the reference ids were produced (2026-11-23, `tokenizers` 0.23.3 and `gguf` from PyPI in a
/// throwaway venv: `python3 -m venv /tmp/tokenv && /tmp/tokenv/bin/pip install tokenizers gguf`):
/// - SmolLM2: tokens, merges and token types read from the GGUF with `gguf.GGUFReader`, then
///   `Tokenizer(models.BPE({token: id}, merges))` with pre-tokenizer
///   `Sequence([Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)])`
///   (SmolLM2's own `tokenizer.json` setup) and every token of type 3 or 4 added as a special
///   `AddedToken(normalized=False)`; ids are `encode(sentence).ids` (no BOS). Each also decodes back to
///   the sentence with `decoders.ByteLevel()`.
/// - MiniLM: `Tokenizer.from_file(".cache/models/minilm/tokenizer.json")` with `no_truncation()` and
///   `no_padding()`; ids are `encode(sentence).ids` (with `[CLS]`/`[SEP]`; all shorter than 256).
@Suite struct TokenizerReferenceTests {
    static let smolLM2 = repositoryRoot() + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let miniLMVocabulary = repositoryRoot() + "/.cache/models/minilm/vocab.txt"

    func present(_ path: String) -> Bool {
        if FileManager.default.fileExists(atPath: path) { return true }
        print("TokenizerReferenceTests: \(path) is absent; run scripts/fetch-models.sh to check the real tokenizer. Skipping.")
        return false
    }

    @Test func smolLM2MatchesReference() throws {
        guard present(Self.smolLM2) else { return }
        let tokenizer = try BytePairTokenizer(gguf: GGUFFile(path: Self.smolLM2))
        #expect(tokenizer.tokens.count == 49152)
        #expect(tokenizer.mergeCount == 48900)
        #expect(tokenizer.specialTokenIDs == Set(0...16))
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2)
        #expect(tokenizer.unencodableBytes == [0x04, 0x06, 0x13, 0x14, 0x16, 0x1D, 0xC0, 0xC1, 0xF1, 0xF2]
            + Array(0xF5...0xFF))
        #expect(tokenizer.encode("a\u{4}b") == [81, 82])  // Hugging Face drops the byte too: ["a", "b"]
        for (index, sentence) in Self.sentences.enumerated() {
            let ids = tokenizer.encode(sentence)
            #expect(ids == Self.smolLM2IDs[index], "sentence \(index): \(sentence.debugDescription)")
            #expect(tokenizer.decode(ids) == sentence)
        }
    }

    @Test func smolLM2ChatTemplateFromGGUF() throws {
        guard present(Self.smolLM2) else { return }
        let file = try GGUFFile(path: Self.smolLM2)
        let template = ChatTemplate(jinja: try #require(file["tokenizer.chat_template"]?.stringValue))
        #expect(template.defaultSystemPrompt == ChatTemplate.smolLM2DefaultSystemPrompt)
        let prompt = template.render([ChatMessage(role: "user", content: "Write a haiku about Swift.")])
        #expect(prompt == Self.sentences[13])
        let tokenizer = try BytePairTokenizer(gguf: file)
        #expect(tokenizer.encode(prompt) == Self.smolLM2IDs[13])
    }

    @Test func miniLMMatchesReference() throws {
        guard present(Self.miniLMVocabulary) else { return }
        let tokenizer = try WordPieceTokenizer(vocabularyFile: Self.miniLMVocabulary)
        #expect(tokenizer.vocabulary.count == 30522)
        #expect(tokenizer.classifierID == 101 && tokenizer.separatorID == 102 && tokenizer.unknownID == 100)
        #expect(tokenizer.paddingID == 0)
        for (index, sentence) in Self.sentences.enumerated() {
            let encoding = tokenizer.encode(sentence)
            #expect(encoding.ids == Self.miniLMIDs[index], "sentence \(index): \(sentence.debugDescription)")
            #expect(encoding.attentionMask == Array(repeating: 1, count: encoding.ids.count))
        }
        let long = String(repeating: "word ", count: 600)
        #expect(tokenizer.encode(long).ids.count == 256)
        #expect(tokenizer.encode(long, maximumLength: 512).ids.count == 512)
    }

    static let sentences: [String] = [
        "Hello, world! How are you doing today?",
        "The quick brown fox jumps over the lazy dog.",
        "def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)\n",
        "Prices rose 3.75% to $1,234,567.89 in Q4 2023 (up from 12345).",
        "Café naïve résumé — Ångström, Zoë, São Paulo, Łódź, Привет мир!",
        "I'm sure they'll say it's fine; we've done what we'd planned. DON'T",
        "Emoji: 👋🏽 😀🎉 ❤️ 🇫🇷 and symbols ∑ √ ∞ ≠ ©®™",
        "机器学习是人工智能的一个分支。日本語のテキストも。한국어 문장.",
        "   leading spaces\n\n\ttabs and\r\nwindows newlines   trailing  ",
        "unaffable unbelievably antidisestablishmentarianism supercalifragilisticexpialidocious",
        "x = {'a': [1, 2, 3], \"b\": None}  # comment // C++ <tag attr=\"v\"/> a->b && c||d",
        "ＦＵＬＬwidth ｔｅｘｔ and ⅫⅣ ½ ² numbers ١٢٣",
        "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nWrite a haiku about Swift.<|im_end|>\n<|im_start|>assistant\n",
        String(repeating: "A", count: 120) + " " + String(repeating: "hello", count: 25) + " https://example.com/path?query=1&x=y#frag",
    ]
    static let smolLM2IDs: [[Int]] = [
        [19556, 28, 905, 17, 1073, 359, 346, 2567, 1834, 47],
        [504, 2365, 6354, 16438, 27003, 690, 260, 23790, 2767, 30],
        [1604, 3987, 46477, 24, 94, 727, 472, 1003, 304, 585, 304, 2067, 216, 34, 1745, 3987, 46477, 24, 94,
         731, 216, 33, 25, 1232, 3987, 46477, 24, 94, 731, 216, 34, 25, 198],
        [64, 12855, 8739, 216, 35, 30, 39, 37, 21, 288, 1885, 33, 28, 34, 35, 36, 28, 37, 38, 39, 30, 40, 41,
         281, 1606, 36, 216, 34, 32, 34, 35, 365, 1110, 429, 216, 33, 34, 35, 36, 37, 595],
        [51, 1939, 2756, 15486, 46494, 412, 2756, 5422, 2756, 1841, 5549, 223, 863, 1321, 45682, 28, 26336,
         26547, 28, 40481, 36619, 28, 18811, 219, 7342, 84, 144, 135, 28, 5470, 249, 46879, 16464, 32547,
         41337, 7872, 9175, 17],
        [57, 5248, 2090, 502, 3060, 1643, 357, 506, 4979, 43, 392, 3543, 2294, 732, 392, 6737, 8176, 30, 422,
         2154, 23, 68],
        [10809, 33777, 42, 15107, 235, 229, 10813, 233, 138, 40303, 218, 10813, 232, 227, 4636, 247, 114,
         31752, 15107, 225, 121, 10813, 225, 132, 284, 7349, 19995, 235, 19995, 244, 19995, 248, 21004, 250,
         11435, 10532, 14824],
        [14483, 135, 176, 243, 118, 18753, 116, 27948, 250, 27830, 40249, 36149, 115, 177, 243, 135, 47093,
         11567, 43340, 37349, 36694, 124, 19076, 23274, 115, 40993, 179, 120, 248, 26453, 11100, 224, 10391,
         251, 10391, 134, 11100, 226, 10391, 220, 19076, 33085, 246, 181, 130, 251, 183, 240, 129, 25947, 122,
         133, 183, 248, 115, 30],
        [256, 2899, 5600, 1116, 197, 100, 7366, 284, 201, 198, 37066, 725, 5110, 256, 35079, 256],
        [419, 2804, 515, 33282, 102, 1756, 1598, 17889, 30834, 358, 35050, 2076, 5020, 342, 1808, 301, 40482,
         104, 96, 409, 311, 42288],
        [104, 446, 7353, 81, 1539, 933, 33, 28, 216, 34, 28, 216, 35, 1750, 476, 82, 1799, 1943, 109, 216,
         907, 5189, 13241, 340, 11444, 2067, 9204, 20599, 2671, 102, 48159, 253, 22690, 82, 1456, 22, 265,
         1331, 84],
        [8083, 116, 8083, 130, 8083, 122, 8083, 122, 6930, 216, 186, 138, 238, 186, 138, 223, 186, 138, 242,
         186, 138, 238, 284, 216, 173, 223, 121, 173, 223, 113, 216, 16738, 216, 19133, 2966, 216, 164, 111,
         164, 112, 164, 113],
        [1, 4093, 198, 1780, 314, 216, 34, 27, 34, 47, 2, 198, 1, 520, 9531, 198],
        [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712,
         8182, 2, 198, 1, 4093, 198, 19161, 253, 421, 30614, 563, 29509, 30, 2, 198, 1, 520, 9531, 198],
        [44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843, 44843,
         44843, 33662, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120,
         28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 28120, 5141, 1742, 7434,
         30, 824, 31, 1537, 47, 8433, 45, 33, 22, 104, 45, 105, 19, 28082],
    ]
    static let miniLMIDs: [[Int]] = [
        [101, 7592, 1010, 2088, 999, 2129, 2024, 2017, 2725, 2651, 1029, 102],
        [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102],
        [101, 13366, 10882, 11735, 6305, 6895, 1006, 1050, 1007, 1024, 2709, 1050, 2065, 1050, 1026, 1016,
         2842, 10882, 11735, 6305, 6895, 1006, 1050, 1011, 1015, 1007, 1009, 10882, 11735, 6305, 6895, 1006,
         1050, 1011, 1016, 1007, 102],
        [101, 7597, 3123, 1017, 1012, 4293, 1003, 2000, 1002, 1015, 1010, 22018, 1010, 5179, 2581, 1012, 6486,
         1999, 1053, 2549, 16798, 2509, 1006, 2039, 2013, 13138, 19961, 1007, 1012, 102],
        [101, 7668, 15743, 13746, 1517, 17076, 15687, 1010, 11199, 1010, 7509, 9094, 1010, 17814, 1010, 1194,
         16856, 10325, 25529, 15290, 22919, 1191, 10325, 16856, 999, 102],
        [101, 1045, 1005, 1049, 2469, 2027, 1005, 2222, 2360, 2009, 1005, 1055, 2986, 1025, 2057, 1005, 2310,
         2589, 2054, 2057, 1005, 1040, 3740, 1012, 2123, 1005, 1056, 102],
        [101, 7861, 29147, 2072, 1024, 100, 100, 100, 100, 1998, 9255, 100, 1600, 1601, 1027, 1075, 29656,
         30108, 102],
        [101, 100, 100, 1817, 100, 100, 1756, 100, 1869, 100, 1916, 1740, 100, 1775, 100, 1636, 1864, 1876,
         1950, 1671, 30239, 30227, 30233, 30240, 30207, 1636, 1469, 30006, 30021, 29991, 30014, 30020, 29999,
         30008, 1459, 30014, 30021, 30000, 30006, 30025, 1012, 102],
        [101, 2877, 7258, 21628, 2015, 1998, 3645, 2047, 12735, 12542, 102],
        [101, 14477, 20961, 3468, 4895, 8671, 2666, 3567, 6321, 3424, 10521, 4355, 7875, 13602, 3672, 12199,
         2964, 3565, 9289, 10128, 29181, 24411, 4588, 10288, 19312, 21273, 10085, 6313, 102],
        [101, 1060, 1027, 1063, 1005, 1037, 1005, 1024, 1031, 1015, 1010, 1016, 1010, 1017, 1033, 1010, 1000,
         1038, 1000, 1024, 3904, 1065, 1001, 7615, 1013, 1013, 1039, 1009, 1009, 1026, 6415, 2012, 16344,
         1027, 1000, 1058, 1000, 1013, 1028, 1037, 1011, 1028, 1038, 1004, 1004, 1039, 1064, 1064, 1040, 102],
        [101, 100, 100, 1998, 100, 1092, 1082, 3616, 100, 102],
        [101, 1026, 1064, 10047, 1035, 2707, 1064, 1028, 5310, 2054, 2003, 1016, 1009, 1016, 1029, 1026, 1064,
         10047, 1035, 2203, 1064, 1028, 1026, 1064, 10047, 1035, 2707, 1064, 1028, 3353, 102],
        [101, 1026, 1064, 10047, 1035, 2707, 1064, 1028, 2291, 2017, 2024, 1037, 14044, 9932, 3353, 2315,
         15488, 14511, 2213, 1010, 4738, 2011, 17662, 2227, 1026, 1064, 10047, 1035, 2203, 1064, 1028, 1026,
         1064, 10047, 1035, 2707, 1064, 1028, 5310, 4339, 1037, 15030, 5283, 2055, 9170, 1012, 1026, 1064,
         10047, 1035, 2203, 1064, 1028, 1026, 1064, 10047, 1035, 2707, 1064, 1028, 3353, 102],
        [101, 100, 100, 16770, 1024, 1013, 1013, 2742, 1012, 4012, 1013, 4130, 1029, 23032, 1027, 1015, 1004,
         1060, 1027, 1061, 1001, 25312, 2290, 102],
    ]
}
