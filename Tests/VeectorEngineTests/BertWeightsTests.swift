import Testing
import VeectorEngine
import VeectorTestSupport

/// `SafetensorsWeights` groups a BERT file's tensors into blocks with local names, in place.
@Suite struct BertWeightsTests {
    @Test func miniLMBlocksHaveLocalNames() throws {
        guard BertTestSupport.modelPresent() else { return }
        let weights = try SafetensorsWeights(folder: BertTestSupport.miniLMFolder)
        #expect(weights.layerCount == 6)
        let embedding = try weights.block(.embedding)
        #expect(Set(embedding.tensors.keys) == ["word_embeddings.weight", "position_embeddings.weight",
                                                "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias"])
        let words = try embedding.tensor("word_embeddings.weight")
        #expect(words.type == .f32 && words.dimensions == [384, 30522] && words.bytes.count == 30522 * 384 * 4)
        for n in 0..<6 {
            let layer = try weights.block(.layer(n))
            #expect(layer.tensors.count == 16)
            let query = try layer.tensor("attention.self.query.weight")
            #expect(query.dimensions == [384, 384])
            #expect(try layer.tensor("intermediate.dense.weight").dimensions == [384, 1536])
            #expect(try layer.tensor("output.dense.weight").dimensions == [1536, 384])
        }
        let head = try weights.block(.head)
        #expect(Set(head.tensors.keys) == ["dense.weight", "dense.bias"])
        #expect(throws: WeightSourceError.unavailable(block: .layer(6), reason: "the model file has layers 0..<6 only")) {
            try weights.block(.layer(6))
        }
        #expect(throws: WeightSourceError.missingTensor(block: .layer(0), name: "nope")) {
            try weights.block(.layer(0)).tensor("nope")
        }
        // In place: the tensor's bytes are the file's bytes.
        let info = try weights.file.tensor(named: "encoder.layer.2.attention.self.key.weight")
        #expect(try weights.block(.layer(2)).tensor("attention.self.key.weight").bytes.baseAddress
                == weights.file.bytes(of: info).baseAddress)
    }

    @Test func bertPrefixAndMissingPoolerAreHandled() throws {
        let directory = TemporaryDirectory(prefix: "bert-prefix")
        var writer = SafetensorsWriter()
        writer.tensors = [
            .init(name: "bert.encoder.layer.0.output.dense.bias", dtype: "F32", shape: [2], data: bytesOf([Float(1), 2])),
            .init(name: "bert.embeddings.position_ids", dtype: "I64", shape: [1], data: [UInt8](repeating: 0, count: 8)),
            .init(name: "bert.embeddings.LayerNorm.bias", dtype: "F16", shape: [2], data: bytesOf([UInt16(0x3c00), 0x4000])),
        ]
        writeBytes(writer.bytes(), to: directory.file("model.safetensors"))
        let weights = try SafetensorsWeights(folder: directory.path)
        #expect(weights.layerCount == 1)
        #expect(try weights.block(.layer(0)).tensor("output.dense.bias").dimensions == [2])
        #expect(try weights.block(.embedding).tensor("LayerNorm.bias").type == .f16)
        #expect(try weights.block(.embedding).tensors["position_ids"] == nil)
        #expect(try weights.block(.head).tensors.isEmpty)
    }
}
