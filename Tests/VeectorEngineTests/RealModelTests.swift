import Foundation
import Testing
import VeectorEngine

/// Opens the real models fetched by `scripts/fetch-models.sh`. When they are absent (CI without
/// model files) each test says so and returns: that is not a failure.
@Suite struct RealModelTests {
    static let smolLM2 = repositoryRoot() + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let miniLM = repositoryRoot() + "/.cache/models/minilm/model.safetensors"

    func present(_ path: String) -> Bool {
        if FileManager.default.fileExists(atPath: path) { return true }
        print("RealModelTests: \(path) is absent; run scripts/fetch-models.sh to check the real model. Skipping.")
        return false
    }

    @Test func smolLM2GGUF() throws {
        guard present(Self.smolLM2) else { return }
        let file = try GGUFFile(path: Self.smolLM2)
        #expect(file.version == 3)
        #expect(file.architecture == "llama")
        #expect(file.architectureInteger("block_count") == 30)
        #expect(file.architectureInteger("embedding_length") == 576)
        #expect(file.architectureInteger("vocab_size") == 49152)
        #expect(file["tokenizer.ggml.model"]?.stringValue == "gpt2")
        #expect(file["tokenizer.ggml.tokens"]?.arrayValue?.count == 49152)
        #expect(file["tokenizer.ggml.merges"]?.arrayValue?.count == 48900)
        #expect(file["tokenizer.ggml.tokens"]?.arrayValue?[1] == .string("<|im_start|>"))
        #expect(file["tokenizer.chat_template"]?.stringValue?.contains("<|im_start|>") == true)
        #expect(file.alignment == 32)
        #expect(file.tensors.count == 272)
        var types: [GGMLType: Int] = [:]
        for t in file.tensors { types[t.type, default: 0] += 1 }
        #expect(types == [.f32: 61, .q4_1: 210, .q8_0: 1])
        let embedding = try file.tensor(named: "token_embd.weight")
        #expect(embedding.type == .q8_0 && embedding.dimensions == [576, 49152])
        for layer in 0..<30 {
            #expect((try? file.tensor(named: "blk.\(layer).attn_q.weight"))?.type == .q4_1)
        }
        let norm = try file.tensor(named: "output_norm.weight")
        #expect(file.floats(of: norm).allSatisfy { $0.isFinite })
        let q = file.floats(of: try file.tensor(named: "blk.0.attn_q.weight"))
        #expect(q.count == 576 * 576 && q.allSatisfy { $0.isFinite && abs($0) < 100 })
    }

    @Test func miniLMSafetensors() throws {
        guard present(Self.miniLM) else { return }
        let file = try SafetensorsFile(path: Self.miniLM)
        #expect(file.metadata["format"] == "pt")
        #expect(file.tensors.count == 104)
        let layers = Set(file.tensors.compactMap { t -> Int? in
            let parts = t.name.split(separator: ".")
            guard parts.count > 2, parts[0] == "encoder", parts[1] == "layer" else { return nil }
            return Int(parts[2])
        })
        #expect(layers == Set(0..<6))
        for layer in 0..<6 {
            #expect(file.tensors.filter { $0.name.hasPrefix("encoder.layer.\(layer).") }.count == 16)
        }
        let words = try file.tensor(named: "embeddings.word_embeddings.weight")
        #expect(words.dtype == .f32 && words.shape == [30522, 384])
        let values = try file.floats(of: words)
        #expect(values.count == 30522 * 384 && values.allSatisfy { $0.isFinite })
        #expect(try file.tensor(named: "embeddings.position_ids").dtype == .i64)
    }
}
