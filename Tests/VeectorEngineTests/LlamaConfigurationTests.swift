import Testing
import VeectorEngine
import VeectorTestSupport

/// `LlamaConfiguration` and `GGUFWeights` on small GGUF files written by the tests: the configuration
/// names the key at fault, and weights are grouped into blocks under local names.
@Suite struct LlamaConfigurationTests {
    static let complete: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("llama.block_count", .uint32(2)),
        ("llama.embedding_length", .uint32(64)),
        ("llama.feed_forward_length", .uint32(96)),
        ("llama.attention.head_count", .uint32(4)),
        ("llama.attention.head_count_kv", .uint32(2)),
        ("llama.rope.freq_base", .float32(10000)),
        ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
        ("llama.context_length", .uint32(256)),
        ("llama.vocab_size", .uint32(40)),
        ("tokenizer.ggml.eos_token_id", .uint32(2)),
    ]

    func configuration(_ metadata: [(String, GGUFValue)]) throws -> LlamaConfiguration {
        let file = try openGGUF(GGUFWriter(metadata: metadata).bytes(), in: TemporaryDirectory(prefix: "llama"))
        return try LlamaConfiguration(gguf: file)
    }

    @Test func readsEveryField() throws {
        let c = try configuration(Self.complete)
        #expect(c == LlamaConfiguration(layerCount: 2, embeddingLength: 64, feedForwardLength: 96, headCount: 4,
                                        keyValueHeadCount: 2, ropeFrequencyBase: 10000, rmsNormEpsilon: 1e-5,
                                        contextLength: 256, vocabularySize: 40, stopTokenIDs: [2]))
        #expect(c.headDimension == 16 && c.keyValueWidth == 32)
    }

    @Test(arguments: ["llama.block_count", "llama.feed_forward_length", "llama.attention.layer_norm_rms_epsilon",
                      "llama.context_length"])
    func missingKeyIsNamed(key: String) throws {
        #expect(throws: LlamaError.missingMetadata(key: key)) {
            try configuration(Self.complete.filter { $0.0 != key })
        }
    }

    @Test func inconsistentHeadsAreRejected() throws {
        var metadata = Self.complete
        metadata[5] = ("llama.attention.head_count_kv", .uint32(3))
        #expect(throws: LlamaError.invalidMetadata(key: "llama.attention.head_count_kv", value: "3",
                                                   expected: "a divisor of the head count 4")) {
            try configuration(metadata)
        }
        metadata[5] = ("llama.attention.head_count_kv", .string("two"))
        #expect(throws: LlamaError.self) { try configuration(metadata) }
    }

    @Test func otherArchitecturesAreRejected() throws {
        var metadata = Self.complete
        metadata[0] = ("general.architecture", .string("bert"))
        #expect(throws: LlamaError.unsupportedArchitecture("bert")) { try configuration(metadata) }
    }

    @Test func weightsAreGroupedIntoBlocksWithTiedHead() throws {
        let zeros = { (n: Int) in bytesOf([Float](repeating: 0.5, count: n)) }
        let writer = GGUFWriter(metadata: Self.complete, tensors: [
            .init(name: "token_embd.weight", dimensions: [64, 40], type: 0, data: zeros(64 * 40)),
            .init(name: "blk.0.attn_norm.weight", dimensions: [64], type: 0, data: zeros(64)),
            .init(name: "blk.1.attn_norm.weight", dimensions: [64], type: 0, data: zeros(64)),
            .init(name: "blk.1.ffn_down.weight", dimensions: [96, 64], type: 0, data: zeros(96 * 64)),
            .init(name: "output_norm.weight", dimensions: [64], type: 0, data: zeros(64)),
        ])
        let weights = GGUFWeights(file: try openGGUF(writer.bytes(), in: TemporaryDirectory(prefix: "llama")))
        #expect(weights.layerCount == 2 && weights.tiedEmbeddings)
        #expect(Set(try weights.block(.layer(1)).tensors.keys) == ["attn_norm.weight", "ffn_down.weight"])
        let head = try weights.block(.head)
        #expect(Set(head.tensors.keys) == ["output_norm.weight", "output.weight"])
        #expect(try head.tensor("output.weight").bytes.baseAddress
                == weights.block(.embedding).tensor("token_embd.weight").bytes.baseAddress)
        #expect(throws: WeightSourceError.missingTensor(block: .layer(0), name: "attn_q.weight")) {
            try weights.block(.layer(0)).tensor("attn_q.weight")
        }
        // A model over these incomplete weights fails with the missing tensor named, never a crash.
        let model = try LlamaModel(configuration: configuration(Self.complete), source: weights)
        var cache = model.makeCache()
        #expect(throws: LlamaError.weights(.missingTensor(block: .layer(0), name: "attn_q.weight"))) {
            try model.forward([1, 2], cache: &cache)
        }
        #expect(throws: LlamaError.tokenOutOfRange(token: 40, vocabularySize: 40)) {
            try model.forward([40], cache: &cache)
        }
    }
}
