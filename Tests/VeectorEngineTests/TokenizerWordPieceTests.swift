import Testing
import VeectorEngine

/// A toy BERT vocabulary: specials at BERT's ids' order, then a few words and pieces.
func toyWordPieceTokenizer() throws -> WordPieceTokenizer {
    try WordPieceTokenizer(vocabulary: [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff", "able", "hello", "world", ",", "!",
        "cafe", "机", "器", "a", "##a", "nandu", "«", "»", "$", "+", "^", "hi", "-", "run", "##ning", "##n",
    ])
}

@Suite struct TokenizerWordPieceTests {
    @Test func greedyLongestMatchFirst() throws {
        let tokenizer = try toyWordPieceTokenizer()
        #expect(tokenizer.tokenize("unaffable") == ["un", "##aff", "##able"])
        #expect(tokenizer.tokenize("running") == ["run", "##ning"])
        #expect(tokenizer.tokenize("aaa") == ["a", "##a", "##a"])
    }

    @Test func unknownWords() throws {
        let tokenizer = try toyWordPieceTokenizer()
        #expect(tokenizer.tokenize("xyz hello") == ["[UNK]", "hello"])
        #expect(tokenizer.tokenize("unaffablez") == ["[UNK]"])  // a part matches nothing: the whole word
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)).count == 100)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
    }

    @Test func punctuationCaseAndAccents() throws {
        let tokenizer = try toyWordPieceTokenizer()
        #expect(tokenizer.tokenize("Hello, WORLD!") == ["hello", ",", "world", "!"])
        #expect(tokenizer.tokenize("Café ÑANDÚ") == ["cafe", "nandu"])
        #expect(tokenizer.tokenize("«hi»-$+^") == ["«", "hi", "»", "-", "$", "+", "^"])
        #expect(BertBasicTokenizer.split("a\u{0}b\u{200B}c\tHI\u{FFFD}\n") == ["abc", "hi"])
        #expect(BertBasicTokenizer.normalize("Ångström Zoë") == "angstrom zoe")
        #expect(BertBasicTokenizer.split("Привет") == ["привет"])
        #expect(BertBasicTokenizer.split("Йод") == ["иод"])  // accent stripping applies to Cyrillic too
    }

    @Test func cjkCharactersAreWords() throws {
        let tokenizer = try toyWordPieceTokenizer()
        #expect(tokenizer.tokenize("机器hello") == ["机", "器", "hello"])
        #expect(BertBasicTokenizer.split("日本語のテキスト") == ["日", "本", "語", "のテキスト"])
    }

    @Test func encodeAddsSpecialsAndTruncates() throws {
        let tokenizer = try toyWordPieceTokenizer()
        let encoding = tokenizer.encode("hello world")
        #expect(encoding.ids == [2, 9, 10, 3])
        #expect(encoding.attentionMask == [1, 1, 1, 1] && encoding.tokenTypeIDs == [0, 0, 0, 0])
        #expect(tokenizer.encode("hello world hello world", maximumLength: 4).ids == [2, 9, 10, 3])
        #expect(tokenizer.encode("").ids == [2, 3])
        let padded = encoding.padded(to: 6, with: 0)
        #expect(padded.ids == [2, 9, 10, 3, 0, 0] && padded.attentionMask == [1, 1, 1, 1, 0, 0])
        let many = String(repeating: "a ", count: 300)
        #expect(tokenizer.encode(many).ids.count == WordPieceTokenizer.defaultMaximumLength)
    }

    @Test func rejectsVocabularyWithoutSpecials() {
        #expect(throws: TokenizerError.missingToken("[UNK]")) {
            try WordPieceTokenizer(vocabulary: ["[CLS]", "[SEP]", "a"])
        }
        do {
            _ = try WordPieceTokenizer(vocabularyFile: "/nonexistent/vocab.txt")
            Issue.record("a missing vocab.txt was accepted")
        } catch {
            guard case let .unreadableFile(path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == "/nonexistent/vocab.txt")
        }
    }
}
