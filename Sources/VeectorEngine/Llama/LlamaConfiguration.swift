/// The shape of a llama-architecture model (SmolLM2, Llama 2/3, …), read from GGUF metadata: what the
/// forward pass needs to size its buffers, split heads, rotate positions and stop generating.
public struct LlamaConfiguration: Sendable, Equatable {
    /// Transformer layers (`llama.block_count`).
    public var layerCount: Int
    /// Width of the residual stream (`llama.embedding_length`).
    public var embeddingLength: Int
    /// Width of the feed-forward hidden layer (`llama.feed_forward_length`).
    public var feedForwardLength: Int
    /// Query heads (`llama.attention.head_count`).
    public var headCount: Int
    /// Key/value heads (`llama.attention.head_count_kv`; grouped-query attention when fewer than heads).
    public var keyValueHeadCount: Int
    /// RoPE base frequency (`llama.rope.freq_base`, default 10000).
    public var ropeFrequencyBase: Float
    /// RMSNorm epsilon (`llama.attention.layer_norm_rms_epsilon`).
    public var rmsNormEpsilon: Float
    /// The longest sequence the model was trained for (`llama.context_length`).
    public var contextLength: Int
    /// Vocabulary size (`llama.vocab_size`, else the length of `tokenizer.ggml.tokens`).
    public var vocabularySize: Int
    /// Tokens that end a generation: the EOS id and, when in the vocabulary, `<|im_end|>` and
    /// `<|endoftext|>`.
    public var stopTokenIDs: Set<Int>

    /// Elements per attention head.
    public var headDimension: Int { embeddingLength / headCount }
    /// Width of the keys (and values) of one position: all key/value heads together.
    public var keyValueWidth: Int { keyValueHeadCount * headDimension }

    /// A configuration given field by field (for tests and converted models).
    public init(layerCount: Int, embeddingLength: Int, feedForwardLength: Int, headCount: Int,
                keyValueHeadCount: Int, ropeFrequencyBase: Float, rmsNormEpsilon: Float,
                contextLength: Int, vocabularySize: Int, stopTokenIDs: Set<Int>) {
        self.layerCount = layerCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.keyValueHeadCount = keyValueHeadCount
        self.ropeFrequencyBase = ropeFrequencyBase
        self.rmsNormEpsilon = rmsNormEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.stopTokenIDs = stopTokenIDs
    }

    /// Reads the configuration of a llama GGUF; names the first missing or unusable key.
    public init(gguf: GGUFFile) throws(LlamaError) {
        guard let arch = gguf.architecture else { throw .missingMetadata(key: "general.architecture") }
        guard arch == "llama" else { throw .unsupportedArchitecture(arch) }
        func integer(_ key: String, default value: Int? = nil) throws(LlamaError) -> Int {
            guard let entry = gguf["llama." + key] else {
                if let value { return value }
                throw .missingMetadata(key: "llama." + key)
            }
            guard let n = entry.intValue, n > 0 else {
                throw .invalidMetadata(key: "llama." + key, value: "\(entry)", expected: "a positive integer")
            }
            return n
        }
        func real(_ key: String, default value: Float? = nil) throws(LlamaError) -> Float {
            guard let entry = gguf["llama." + key] else {
                if let value { return value }
                throw .missingMetadata(key: "llama." + key)
            }
            guard let x = entry.doubleValue, x.isFinite, x > 0 else {
                throw .invalidMetadata(key: "llama." + key, value: "\(entry)", expected: "a positive number")
            }
            return Float(x)
        }
        let tokens = gguf["tokenizer.ggml.tokens"]?.arrayValue
        let vocabulary: Int
        if gguf["llama.vocab_size"] != nil {
            vocabulary = try integer("vocab_size")
        } else if let tokens {
            vocabulary = tokens.count
        } else {
            throw .missingMetadata(key: "llama.vocab_size")
        }
        var stops = Set<Int>()
        if let eos = gguf["tokenizer.ggml.eos_token_id"] {
            guard let id = eos.intValue, id >= 0, id < vocabulary else {
                throw .invalidMetadata(key: "tokenizer.ggml.eos_token_id", value: "\(eos)",
                                       expected: "a token id below \(vocabulary)")
            }
            stops.insert(id)
        }
        if let tokens {
            for (id, token) in tokens.prefix(256).enumerated()
            where token.stringValue == "<|im_end|>" || token.stringValue == "<|endoftext|>" {
                stops.insert(id)
            }
        }
        self.init(
            layerCount: try integer("block_count"),
            embeddingLength: try integer("embedding_length"),
            feedForwardLength: try integer("feed_forward_length"),
            headCount: try integer("attention.head_count"),
            keyValueHeadCount: try integer("attention.head_count_kv", default: try integer("attention.head_count")),
            ropeFrequencyBase: try real("rope.freq_base", default: 10000),
            rmsNormEpsilon: try real("attention.layer_norm_rms_epsilon"),
            contextLength: try integer("context_length"),
            vocabularySize: vocabulary,
            stopTokenIDs: stops)
        try validate()
    }

    /// Checks that the numbers fit together (heads divide the width, key/value heads divide heads,
    /// the head dimension is even for RoPE).
    public func validate() throws(LlamaError) {
        guard embeddingLength % headCount == 0 else {
            throw .invalidMetadata(key: "llama.attention.head_count", value: "\(headCount)",
                                   expected: "a divisor of the embedding length \(embeddingLength)")
        }
        guard headCount % keyValueHeadCount == 0 else {
            throw .invalidMetadata(key: "llama.attention.head_count_kv", value: "\(keyValueHeadCount)",
                                   expected: "a divisor of the head count \(headCount)")
        }
        guard headDimension % 2 == 0 else {
            throw .invalidMetadata(key: "llama.attention.head_count", value: "\(headCount)",
                                   expected: "a count giving an even head dimension (RoPE rotates pairs)")
        }
    }
}
