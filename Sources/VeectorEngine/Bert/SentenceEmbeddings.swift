/// Sentence vectors and where they came from: what `SentenceEmbedder.embed` returns.
public struct SentenceEmbeddings: Sendable {
    /// One L2-normalised vector per input text, in input order.
    public var vectors: [[Float]]
    /// Which blocks, tensor types, token counts and time produced them.
    public var provenance: EmbeddingProvenance

    /// Length of each vector (384 for MiniLM).
    public var dimension: Int { vectors.first?.count ?? 0 }
}

/// The provenance of a set of embeddings (the author's rule: results say which block and version did
/// the work): the model, the blocks and tensor types read, the tokens per text, and the time spent.
public struct EmbeddingProvenance: Sendable {
    /// What the model was loaded from (a folder path, or a description of the weight source).
    public var model: String
    /// The blocks read, in order (`embedding`, `layer.0`, …, once per pass they were used in).
    public var blocks: [String]
    /// How many tensor reads of each type (`"F32"`, `"Q8_0"`, …) over all passes.
    public var tensorTypes: [String: Int]
    /// Tokens fed to the model for each text, `[CLS]` and `[SEP]` included.
    public var tokenCounts: [Int]
    /// Whether each text was cut to the maximum length.
    public var truncated: [Bool]
    /// The token limit used (256 by default, sentence-transformers' `max_seq_length` for MiniLM).
    public var maximumLength: Int
    /// Threads used per forward pass.
    public var threads: Int
    /// Number of forward passes (texts are grouped by length into passes).
    public var passes: Int
    /// Seconds spent tokenising.
    public var tokenizeSeconds: Double
    /// Seconds spent in forward passes.
    public var forwardSeconds: Double
    /// Seconds spent pooling and normalising.
    public var poolSeconds: Double
}
