import Foundation
import Testing
import VeectorBlocks
import VeectorCrypto
import VeectorEngine
import VeectorNode
import VeectorTestSupport

/// The real models run from blocks in a node's database give exactly what they give from their files:
/// the same greedy tokens for SmolLM2 (also under a memory budget that forces streaming), the same
/// vectors for MiniLM.
@Suite("Inference from blocks", .serialized)
struct InferenceFromBlocksTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let smolLM2 = root + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let miniLM = root + "/.cache/models/minilm"

    static func home(_ dir: TemporaryDirectory) throws -> NodeHome {
        try NodeHome.initialize(at: dir.path + "/home", user: "t", passphrase: Array("p".utf8), profile: .fastForTests).0
    }

    @Test func smolLM2FromBlocksMatchesTheFile() throws {
        guard FileManager.default.fileExists(atPath: Self.smolLM2) else {
            print("InferenceFromBlocksTests: SmolLM2 is absent; run scripts/fetch-models.sh. Skipping."); return
        }
        let dir = TemporaryDirectory(prefix: "infer-llama")
        let home = try Self.home(dir)
        defer { try? home.close() }
        let store = ModelStore(database: home.database)
        _ = try store.importModel(path: Self.smolLM2, name: "smollm2", variants: ["ultimate"])

        let file = try LlamaGenerator(model: LlamaModel(gguf: GGUFFile(path: Self.smolLM2)))
        let installed = try InstalledLanguageModel(store: store, name: "smollm2", settings: RunSettings())
        let prompt = installed.tokenizer.encode(installed.template.render([ChatMessage(role: "user", content: "What is the capital of France?")]))
        let reference = try BytePairTokenizer(gguf: GGUFFile(path: Self.smolLM2))
        #expect(prompt == reference.encode(ChatTemplate().render([ChatMessage(role: "user", content: "What is the capital of France?")])))
        var options = GenerationOptions(maxTokens: 8)
        options.speculative = .off
        let expected = try file.generate(prompt: prompt, options: options).tokens
        let fromBlocks = try installed.generator.generate(prompt: prompt, options: options)
        #expect(fromBlocks.tokens == expected)
        #expect(installed.tokenizer.decode(fromBlocks.tokens).contains("Paris"))
        #expect(Set(installed.cache.provenance.map(\.variant)) == [.ultimate])

        // The smallest budget that runs (the largest block: the token table is imported as 16 row
        // shards, so a layer, about 2.4 % of the model): blocks are evicted and reloaded, the answer is the same.
        let total = installed.cache.plan.totalBytes
        let minimum = installed.cache.plan.minimumBudget
        #expect(installed.cache.tokenTableShards.count == 16)
        #expect(minimum < total / 20)
        let streamed = try InstalledLanguageModel(store: store, name: "smollm2", settings: RunSettings(memoryBudget: minimum))
        #expect(try streamed.generator.generate(prompt: prompt, options: options).tokens == expected)
        #expect(streamed.cache.statistics.evictions > 0)
        // Held blocks plus the prefetched next layer may go a little over the budget, never near the whole model.
        #expect(streamed.cache.statistics.peakBytesResident < total / 2)

        // Too small a budget is a clear error stating the minimum.
        #expect(throws: WeightSourceError.self) {
            _ = try InstalledLanguageModel(store: store, name: "smollm2", settings: RunSettings(memoryBudget: 1000))
        }
        // An embedding command on a language model says what is wrong.
        #expect(throws: InferenceError.self) { _ = try InstalledEmbeddingModel(store: store, name: "smollm2", settings: RunSettings()) }
    }

    @Test func miniLMFromBlocksMatchesTheFolder() throws {
        guard FileManager.default.fileExists(atPath: Self.miniLM + "/model.safetensors") else {
            print("InferenceFromBlocksTests: MiniLM is absent; run scripts/fetch-models.sh. Skipping."); return
        }
        let dir = TemporaryDirectory(prefix: "infer-bert")
        let home = try Self.home(dir)
        defer { try? home.close() }
        let store = ModelStore(database: home.database)
        _ = try store.importModel(path: Self.miniLM, name: "minilm")
        let texts = ["The cat sits on the mat.", "Ünïcödé and Кириллица", ""]
        let expected = try SentenceEmbedder(folder: Self.miniLM).embed(texts).vectors
        let installed = try InstalledEmbeddingModel(store: store, name: "minilm", settings: RunSettings(profile: .ultimate))
        let got = try installed.embedder.embed(texts).vectors
        #expect(got == expected)
        // The 8-bit variant stays close.
        let pro = try InstalledEmbeddingModel(store: store, name: "minilm", settings: RunSettings(profile: .pro))
        for (a, b) in zip(try pro.embedder.embed(texts).vectors, expected) {
            let cosine = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(cosine > 0.999, "pro cosine \(cosine)")
        }
        #expect(Set(pro.cache.provenance.filter { $0.role.hasPrefix("layer") }.map(\.variant)) == [.pro])
    }
}
