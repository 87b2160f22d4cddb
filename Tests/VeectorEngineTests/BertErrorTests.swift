import Foundation
import Testing
import VeectorEngine
import VeectorTestSupport

/// Bad input ends in a typed error that says what is wrong and where, never a crash.
@Suite struct BertErrorTests {
    @Test func invalidUTF8NamesTextAndOffset() throws {
        guard BertTestSupport.modelPresent() else { return }
        let embedder = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder)
        let good = Array("hello".utf8)
        #expect(throws: BertError.invalidUTF8(index: 1, byteOffset: 3)) {
            try embedder.embed(utf8: [good, [0x61, 0x62, 0x63, 0xff, 0x64]])
        }
        #expect(throws: BertError.invalidUTF8(index: 0, byteOffset: 1)) {
            try embedder.embed(utf8: [[0x41, 0xc3]])  // truncated two-byte sequence
        }
        #expect(throws: BertError.invalidUTF8(index: 0, byteOffset: 0)) {
            try embedder.embed(utf8: [[0xed, 0xa0, 0x80]])  // an encoded surrogate
        }
        let fine = try embedder.embed(utf8: [Array("Café".utf8)])
        #expect(BertTestSupport.cosine(fine.vectors[0], try embedder.embed("Café").vectors[0]) > 0.999999)
        #expect(BertError.invalidUTF8(index: 1, byteOffset: 3).description.contains("offset 3"))
    }

    @Test func emptyInputIsAnErrorButAnEmptyTextIsNot() throws {
        guard BertTestSupport.modelPresent() else { return }
        let embedder = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder)
        #expect(throws: BertError.emptyInput) { try embedder.embed([String]()) }
        #expect(throws: BertError.emptyInput) { try embedder.embed(utf8: []) }
        #expect(throws: BertError.emptyInput) { try embedder.model.forward([]) }
        let empty = try embedder.embed("")
        #expect(empty.provenance.tokenCounts == [2])
        #expect(empty.vectors[0].count == 384 && empty.vectors[0].allSatisfy(\.isFinite))
    }

    @Test func missingTensorNamesBlockAndTensor() throws {
        guard BertTestSupport.modelPresent() else { return }
        let folder = BertTestSupport.miniLMFolder
        let weights = RewrittenWeights(base: try SafetensorsWeights(folder: folder),
                                       removing: (.layer(3), "intermediate.dense.weight"))
        let model = BertModel(configuration: try BertConfiguration(contentsOf: folder + "/config.json"), weights: weights)
        let expected = BertError.weights(.missingTensor(block: .layer(3), name: "intermediate.dense.weight"))
        #expect(throws: expected) { try model.forward([[101, 7592, 102]]) }
        #expect(expected.description.contains("layer.3") && expected.description.contains("intermediate.dense.weight"))
    }

    @Test func tokenIDsAndLengthsAreChecked() throws {
        guard BertTestSupport.modelPresent() else { return }
        let embedder = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder)
        let model = embedder.model
        #expect(throws: BertError.tokenOutOfRange(sequence: 1, position: 1, id: 30522, vocabularySize: 30522)) {
            try model.forward([[101, 102], [101, 30522, 102]])
        }
        #expect(throws: BertError.tokenOutOfRange(sequence: 0, position: 0, id: -1, vocabularySize: 30522)) {
            try model.forward([[-1]])
        }
        #expect(throws: BertError.badSequenceLength(sequence: 0, length: 513, maximum: 512)) {
            try model.forward([Array(repeating: 100, count: 513)])
        }
        #expect(throws: BertError.badSequenceLength(sequence: 1, length: 0, maximum: 512)) {
            try model.forward([[101, 102], []])
        }
        #expect(throws: BertError.tokenTypeOutOfRange(sequence: 0, position: 1, type: 2, typeCount: 2)) {
            try model.forward([[101, 102]], tokenTypes: [[0, 2]])
        }
        #expect(throws: BertError.badArgument("threads is 0; it must be at least 1")) {
            try model.forward([[101, 102]], threads: 0)
        }
        #expect(throws: BertError.self) { try SentenceEmbedder(model: model, tokenizer: embedder.tokenizer, maximumLength: 513) }
    }

    @Test func badConfigurationsAreRejected() throws {
        let good: [String: Any] = ["model_type": "bert", "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
                                   "intermediate_size": 1536, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
                                   "max_position_embeddings": 512, "type_vocab_size": 2, "vocab_size": 30522]
        func parse(_ object: [String: Any]) throws(BertError) -> BertConfiguration {
            let data = try! JSONSerialization.data(withJSONObject: object)
            return try BertConfiguration(json: data, path: "test/config.json")
        }
        let configuration = try parse(good)
        #expect(configuration.headSize == 32 && configuration.layerNormEpsilon == 1e-12)
        var relu = good; relu["hidden_act"] = "relu"
        var heads = good; heads["num_attention_heads"] = 5
        var missing = good; missing["hidden_size"] = nil
        var fractional = good; fractional["num_hidden_layers"] = 6.5
        var relative = good; relative["position_embedding_type"] = "relative_key"
        for (object, fragment) in [(relu, "hidden_act"), (heads, "not a multiple"), (missing, "\"hidden_size\" is missing"),
                                   (fractional, "num_hidden_layers"), (relative, "position_embedding_type")] {
            do {
                _ = try parse(object)
                Issue.record("accepted a configuration with a bad \(fragment)")
            } catch {
                guard case let .badConfiguration(path, reason) = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                #expect(path == "test/config.json" && reason.contains(fragment), "\(reason)")
            }
        }
        #expect(throws: BertError.self) { try BertConfiguration(json: Data("[1]".utf8)) }
        #expect(throws: BertError.self) { try BertConfiguration(contentsOf: "/nonexistent/config.json") }
    }

    @Test func safetensorsWeightsRejectMissingAndNonBertFiles() throws {
        let directory = TemporaryDirectory(prefix: "bert-weights")
        #expect(throws: SafetensorsWeights.OpenError.self) { try SafetensorsWeights(folder: directory.path) }
        var writer = SafetensorsWriter()
        writer.tensors = [.init(name: "embeddings.LayerNorm.weight", dtype: "F32", shape: [4], data: bytesOf([Float](repeating: 1, count: 4)))]
        writeBytes(writer.bytes(), to: directory.file("model.safetensors"))
        #expect(throws: SafetensorsWeights.OpenError.notBert(path: directory.file("model.safetensors"))) {
            try SafetensorsWeights(folder: directory.path)
        }
    }
}
