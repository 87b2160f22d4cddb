import Foundation

/// WordPiece as all-MiniLM-L6-v2 (BERT uncased) uses it: `BertBasicTokenizer` words, each split greedily
/// into the longest vocabulary entries from the left, continuations prefixed with `##`; a word longer
/// than `maximumCharactersPerWord` characters, or with a part that matches nothing, becomes `[UNK]`.
/// `encode` adds `[CLS]` and `[SEP]` and truncates to 256 tokens, sentence-transformers'
/// `max_seq_length` for this model (BERT's position limit is 512; `tokenizer.json` says 128).
public struct WordPieceTokenizer: Sendable {
    /// The token limit `encode` uses unless told otherwise: MiniLM's `max_seq_length`, 256.
    public static let defaultMaximumLength = 256
    /// The vocabulary: token id → token text.
    public let vocabulary: [String]
    /// The id of `[UNK]`.
    public let unknownID: Int
    /// The id of `[CLS]`, which starts every encoding.
    public let classifierID: Int
    /// The id of `[SEP]`, which ends every encoding.
    public let separatorID: Int
    /// The id of `[PAD]` (0 in BERT vocabularies), if present.
    public let paddingID: Int?
    /// Words with more characters than this become `[UNK]` (100, as in BERT).
    public let maximumCharactersPerWord: Int

    /// Token text → id.
    let idForToken: [String: Int]

    /// A tokenizer for this vocabulary (one token per entry, id = index). Throws if `[UNK]`, `[CLS]` or
    /// `[SEP]` is missing.
    public init(vocabulary: [String], maximumCharactersPerWord: Int = 100) throws(TokenizerError) {
        var idForToken: [String: Int] = [:]
        idForToken.reserveCapacity(vocabulary.count)
        for (id, token) in vocabulary.enumerated() where idForToken[token] == nil { idForToken[token] = id }
        func required(_ token: String) throws(TokenizerError) -> Int {
            guard let id = idForToken[token] else { throw .missingToken(token) }
            return id
        }
        self.vocabulary = vocabulary
        self.idForToken = idForToken
        self.unknownID = try required("[UNK]")
        self.classifierID = try required("[CLS]")
        self.separatorID = try required("[SEP]")
        self.paddingID = idForToken["[PAD]"]
        self.maximumCharactersPerWord = maximumCharactersPerWord
    }

    /// The tokenizer for a BERT `vocab.txt` (one token per line, line number = id).
    public init(vocabularyFile path: String) throws(TokenizerError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: "\(error)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines)
    }

    /// The id of a token, if it is in the vocabulary.
    public func id(of token: String) -> Int? { idForToken[token] }

    /// The WordPiece tokens of `text` (no `[CLS]`/`[SEP]`, no truncation).
    public func tokenize(_ text: String) -> [String] {
        wordPieceIDs(text).map { vocabulary[$0] }
    }

    /// `[CLS]`, the WordPiece ids of `text` cut to `maximumLength - 2`, then `[SEP]`, with an attention
    /// mask of ones.
    public func encode(_ text: String, maximumLength: Int = WordPieceTokenizer.defaultMaximumLength)
        -> WordPieceEncoding {
        let pieces = wordPieceIDs(text)
        return WordPieceEncoding(ids: [classifierID] + pieces.prefix(max(0, maximumLength - 2)) + [separatorID])
    }

    /// The WordPiece ids of every word of `text`.
    func wordPieceIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        for word in BertBasicTokenizer.split(text) { appendPieces(of: word, to: &ids) }
        return ids
    }

    /// Greedy longest-match-first WordPiece for one word; the whole word is `[UNK]` if any part fails.
    func appendPieces(of word: String, to ids: inout [Int]) {
        if word.utf8.count <= maximumCharactersPerWord, let id = idForToken[word] {
            ids.append(id)  // the common case: the whole word is a token
            return
        }
        let characters = Array(word.unicodeScalars)
        if characters.count > maximumCharactersPerWord {
            ids.append(unknownID)
            return
        }
        var pieces: [Int] = []
        var start = 0
        while start < characters.count {
            var end = characters.count
            var found: Int?
            while start < end {
                var candidate = String(String.UnicodeScalarView(characters[start..<end]))
                if start > 0 { candidate = "##" + candidate }
                if let id = idForToken[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
