import Foundation

/// The shape of a BERT encoder, read from its Hugging Face `config.json`: what `BertModel` needs to
/// know to run the weights (sizes, heads, activation, LayerNorm epsilon, position limit).
///
/// Only what this engine can run is accepted: absolute position embeddings and the erf GELU
/// (`"gelu"`). Anything else is rejected with `BertError.badConfiguration` naming the field.
public struct BertConfiguration: Sendable, Equatable {
    /// Width of a token's hidden state (384 for MiniLM-L6).
    public var hiddenSize: Int
    /// Number of transformer layers (6).
    public var layerCount: Int
    /// Number of attention heads (12); `hiddenSize` must be a multiple of it.
    public var headCount: Int
    /// Width of the feed-forward layer (1536).
    public var intermediateSize: Int
    /// LayerNorm epsilon (1e-12).
    public var layerNormEpsilon: Float
    /// Number of position embeddings: the longest sequence the model can take (512).
    public var maximumPositions: Int
    /// Number of token type (segment) embeddings (2).
    public var tokenTypeCount: Int
    /// Number of tokens in the vocabulary (30522).
    public var vocabularySize: Int

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// A configuration from explicit values; throws if they are inconsistent.
    public init(hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                layerNormEpsilon: Float, maximumPositions: Int, tokenTypeCount: Int,
                vocabularySize: Int) throws(BertError) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.layerNormEpsilon = layerNormEpsilon
        self.maximumPositions = maximumPositions
        self.tokenTypeCount = tokenTypeCount
        self.vocabularySize = vocabularySize
        try validate(path: "(values)")
    }

    /// Reads and checks `config.json` at `path`.
    public init(contentsOf path: String) throws(BertError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        try self.init(json: data, path: path)
    }

    /// Parses `config.json` bytes; `path` is only used in error messages.
    public init(json: Data, path: String = "config.json") throws(BertError) {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                throw BertError.badConfiguration(path: path, reason: "it is not a JSON object")
            }
            object = parsed
        } catch let error as BertError {
            throw error
        } catch {
            throw .badConfiguration(path: path, reason: "it is not valid JSON (\(error.localizedDescription))")
        }
        func integer(_ key: String, default value: Int? = nil) throws(BertError) -> Int {
            guard let raw = object[key] else {
                if let value { return value }
                throw .badConfiguration(path: path, reason: "field \"\(key)\" is missing")
            }
            guard let number = raw as? NSNumber, let exact = Int(exactly: number.doubleValue) else {
                throw .badConfiguration(path: path, reason: "field \"\(key)\" is \(raw), not an integer")
            }
            return exact
        }
        if let type = object["model_type"] as? String, type != "bert" {
            throw .badConfiguration(path: path, reason: "model_type is \"\(type)\", not \"bert\"")
        }
        let activation = object["hidden_act"] as? String ?? "gelu"
        guard activation == "gelu" else {
            throw .badConfiguration(path: path, reason: "hidden_act \"\(activation)\" is not supported (only \"gelu\", the erf GELU)")
        }
        let positions = object["position_embedding_type"] as? String ?? "absolute"
        guard positions == "absolute" else {
            throw .badConfiguration(path: path, reason: "position_embedding_type \"\(positions)\" is not supported (only \"absolute\")")
        }
        let epsilon: Float
        if let raw = object["layer_norm_eps"] {
            guard let number = raw as? NSNumber else {
                throw .badConfiguration(path: path, reason: "field \"layer_norm_eps\" is \(raw), not a number")
            }
            epsilon = number.floatValue
        } else {
            epsilon = 1e-12
        }
        hiddenSize = try integer("hidden_size")
        layerCount = try integer("num_hidden_layers")
        headCount = try integer("num_attention_heads")
        intermediateSize = try integer("intermediate_size")
        layerNormEpsilon = epsilon
        maximumPositions = try integer("max_position_embeddings")
        tokenTypeCount = try integer("type_vocab_size", default: 2)
        vocabularySize = try integer("vocab_size")
        try validate(path: path)
    }

    /// Checks that the sizes are positive and consistent.
    private func validate(path: String) throws(BertError) {
        let sizes = [("hidden_size", hiddenSize), ("num_hidden_layers", layerCount), ("num_attention_heads", headCount),
                     ("intermediate_size", intermediateSize), ("max_position_embeddings", maximumPositions),
                     ("type_vocab_size", tokenTypeCount), ("vocab_size", vocabularySize)]
        for (name, value) in sizes where value < 1 {
            throw .badConfiguration(path: path, reason: "\(name) is \(value); it must be at least 1")
        }
        guard hiddenSize % headCount == 0 else {
            throw .badConfiguration(path: path,
                                    reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)")
        }
        guard layerNormEpsilon.isFinite, layerNormEpsilon >= 0 else {
            throw .badConfiguration(path: path, reason: "layer_norm_eps \(layerNormEpsilon) must be a finite number ≥ 0")
        }
    }
}
