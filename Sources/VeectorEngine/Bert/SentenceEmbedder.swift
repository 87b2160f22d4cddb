import Foundation

/// Turns texts into sentence vectors with a BERT encoder, the way sentence-transformers'
/// all-MiniLM-L6-v2 does: WordPiece with `[CLS]`/`[SEP]` and truncation at 256 tokens, the forward pass,
/// mean pooling over the real tokens, then L2 normalisation. For semantic search over a user's documents.
///
/// The token limit is 256, sentence-transformers' `max_seq_length` for this model
/// (`sentence_bert_config.json`); `tokenizer.json` says 128 and BERT's position table allows 512, but
/// the reference embeddings are computed at 256. Texts are sorted by length and grouped into forward
/// passes of at most `tokensPerPass` tokens, so the packed matrices stay cache-sized.
public final class SentenceEmbedder: Sendable {
    /// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2.
    public static let defaultMaximumLength = 256
    /// The encoder.
    public let model: BertModel
    /// The WordPiece tokenizer matching the model's vocabulary.
    public let tokenizer: WordPieceTokenizer
    /// Tokens per text, `[CLS]` and `[SEP]` included; longer texts are cut.
    public let maximumLength: Int
    /// Threads per forward pass (see `BertModel.forward`: one group of sequences per thread when the pass
    /// splits evenly, else OpenBLAS threads share each product).
    public let threads: Int
    /// Upper bound on the tokens of one forward pass (a longer single text still gets its own pass).
    public let tokensPerPass: Int
    /// What the model was loaded from, for provenance.
    public let source: String

    /// An embedder over a model folder holding `config.json`, `vocab.txt` and `model.safetensors`.
    public convenience init(folder: String, threads: Int = 1, maximumLength: Int = SentenceEmbedder.defaultMaximumLength,
                            tokensPerPass: Int = 2048) throws(BertError) {
        let configuration = try BertConfiguration(contentsOf: folder + "/config.json")
        let tokenizer: WordPieceTokenizer
        do {
            tokenizer = try WordPieceTokenizer(vocabularyFile: folder + "/vocab.txt")
        } catch {
            throw .tokenizer(error)
        }
        let weights: SafetensorsWeights
        do {
            weights = try SafetensorsWeights(folder: folder)
        } catch {
            throw .unreadableFile(path: folder + "/model.safetensors", reason: error.description)
        }
        try self.init(model: BertModel(configuration: configuration, weights: weights), tokenizer: tokenizer,
                      threads: threads, maximumLength: maximumLength, tokensPerPass: tokensPerPass, source: folder)
    }

    /// An embedder over an existing model and tokenizer (e.g. a block-backed weight source).
    public init(model: BertModel, tokenizer: WordPieceTokenizer, threads: Int = 1,
                maximumLength: Int = SentenceEmbedder.defaultMaximumLength, tokensPerPass: Int = 2048,
                source: String = "weights") throws(BertError) {
        guard threads >= 1 else { throw .badArgument("threads is \(threads); it must be at least 1") }
        guard maximumLength >= 2, maximumLength <= model.configuration.maximumPositions else {
            throw .badArgument("maximumLength is \(maximumLength); it must be 2 to \(model.configuration.maximumPositions) "
                               + "(room for [CLS] and [SEP], within the position embeddings)")
        }
        guard tokensPerPass >= 1 else { throw .badArgument("tokensPerPass is \(tokensPerPass); it must be at least 1") }
        guard tokenizer.vocabulary.count <= model.configuration.vocabularySize else {
            throw .badArgument("the vocabulary has \(tokenizer.vocabulary.count) tokens but the model only "
                               + "\(model.configuration.vocabularySize): they do not belong together")
        }
        self.model = model
        self.tokenizer = tokenizer
        self.threads = threads
        self.maximumLength = maximumLength
        self.tokensPerPass = tokensPerPass
        self.source = source
    }

    /// The token ids the model sees for `text`: `[CLS]`, WordPiece ids cut to `maximumLength - 2`, `[SEP]`;
    /// and whether it was cut.
    public func tokenIDs(_ text: String) -> (ids: [Int], truncated: Bool) {
        let pieces = tokenizer.wordPieceIDs(text)
        let kept = pieces.prefix(maximumLength - 2)
        return ([tokenizer.classifierID] + kept + [tokenizer.separatorID], kept.count < pieces.count)
    }

    /// The embedding of one text.
    public func embed(_ text: String) throws(BertError) -> SentenceEmbeddings {
        try embed([text])
    }

    /// Embeddings of texts given as UTF-8 bytes; invalid UTF-8 is `BertError.invalidUTF8` naming the text
    /// and the byte offset.
    public func embed(utf8 texts: [[UInt8]]) throws(BertError) -> SentenceEmbeddings {
        var strings: [String] = []
        strings.reserveCapacity(texts.count)
        for (i, bytes) in texts.enumerated() { strings.append(try UTF8Validation.decode(bytes, index: i)) }
        return try embed(strings)
    }

    /// Embeddings of `texts` (at least one; an empty string is a valid text), in input order.
    public func embed(_ texts: [String]) throws(BertError) -> SentenceEmbeddings {
        guard !texts.isEmpty else { throw .emptyInput }
        let clock = ContinuousClock()
        let t0 = clock.now
        let encoded = texts.map(tokenIDs)
        let t1 = clock.now
        let order = encoded.indices.sorted { (encoded[$0].ids.count, $0) < (encoded[$1].ids.count, $1) }
        var vectors = [[Float]](repeating: [], count: texts.count)
        var blocks: [String] = []
        var types: [String: Int] = [:]
        var passes = 0
        var forwardTime = Duration.zero, poolTime = Duration.zero
        let workspace = BertWorkspace()
        var next = 0
        while next < order.count {
            var end = next
            var tokens = 0
            while end < order.count, end == next || tokens + encoded[order[end]].ids.count <= tokensPerPass {
                tokens += encoded[order[end]].ids.count
                end += 1
            }
            let members = Array(order[next..<end])
            let f0 = clock.now
            let states = try model.forward(members.map { encoded[$0].ids }, tokenTypes: nil, threads: threads,
                                           workspace: workspace)
            let f1 = clock.now
            for (k, index) in members.enumerated() { vectors[index] = Self.meanPooledUnitVector(states, sequence: k) }
            poolTime += clock.now - f1
            forwardTime += f1 - f0
            for role in states.blocks where !blocks.contains(role.description) { blocks.append(role.description) }
            for (type, count) in states.tensorTypes { types[type.description, default: 0] += count }
            passes += 1
            next = end
        }
        let provenance = EmbeddingProvenance(
            model: source, blocks: blocks, tensorTypes: types, tokenCounts: encoded.map(\.ids.count),
            truncated: encoded.map(\.truncated), maximumLength: maximumLength, threads: threads, passes: passes,
            tokenizeSeconds: Self.seconds(t1 - t0), forwardSeconds: Self.seconds(forwardTime), poolSeconds: Self.seconds(poolTime))
        return SentenceEmbeddings(vectors: vectors, provenance: provenance)
    }

    /// Mean of the sequence's token states (all real: batches are packed), divided by its L2 norm
    /// (at least 1e-12, as `torch.nn.functional.normalize`).
    static func meanPooledUnitVector(_ states: BertHiddenStates, sequence: Int) -> [Float] {
        let h = states.hiddenSize
        let length = states.sequenceLengths[sequence]
        var sum = [Float](repeating: 0, count: h)
        states.values.withUnsafeBufferPointer { values in
            let base = values.baseAddress! + states.sequenceStarts[sequence] * h
            for p in 0..<length {
                let row = base + p * h
                for j in 0..<h { sum[j] += row[j] }
            }
        }
        let inverseCount = 1 / Float(length)
        var norm: Float = 0
        for j in 0..<h {
            sum[j] *= inverseCount
            norm += sum[j] * sum[j]
        }
        let scale = 1 / max(norm.squareRoot(), 1e-12)
        return sum.map { $0 * scale }
    }

    /// A duration in seconds.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
