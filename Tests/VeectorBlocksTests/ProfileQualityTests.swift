import Foundation
import Testing
import VeectorBlocks
import VeectorEngine

/// What each profile costs in quality on the real models, served through `BlockCache` from blocks that
/// `ModelDecomposer` made in memory: SmolLM2's perplexity on the reference paragraph for lite / pro /
/// ultimate, and MiniLM's cosine against ultimate for lite / pro on the reference sentences. Skips
/// cleanly when a model file is absent. The measured table is in Spec/engine.md, "Quality per profile".
@Suite(.serialized) struct ProfileQualityTests {
    /// The parts of Tests/Reference/smollm2-reference.json read here: each prompt's name and token ids.
    struct SmolLM2Prompts: Decodable {
        struct Prompt: Decodable {
            let name: String
            let prompt_ids: [Int]
        }
        let prompts: [Prompt]
    }

    /// The parts of Tests/Reference/minilm-reference.json read here: the sentences and their
    /// sentence-transformers embeddings.
    struct MiniLMSentences: Decodable {
        struct Sentence: Decodable {
            let text: String
            let embedding: [Float]
        }
        let sentences: [Sentence]
    }

    static func reference<T: Decodable>(_ name: String, as: T.Type) throws -> T {
        let path = repositoryRoot() + "/Tests/Reference/" + name
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every block of the model stays resident (quality is measured here, not streaming).
    static let budget = 1 << 34

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// Lite (Q4_0 layers requantised from the Q4_1 source) stays within 25 % of ultimate's perplexity on
    /// the reference paragraph (measured: see Spec/engine.md). Pro has no variant of its own for a 4-bit
    /// source and is served by ultimate, so its perplexity is ultimate's exactly; ultimate over blocks is
    /// the GGUF file's bytes, so its perplexity equals the mapped file's (to 1e-6: the head's products run per table shard).
    @Test func smolLM2PerplexityPerProfile() throws {
        guard RealModels.present(RealModels.smolLM2) else { return }
        let paragraph = try #require(try Self.reference("smollm2-reference.json", as: SmolLM2Prompts.self)
            .prompts.first { $0.name == "raw_paragraph" }).prompt_ids
        #expect(paragraph.count > 200)
        let file = try GGUFFile(path: RealModels.smolLM2)
        let configuration = try LlamaConfiguration(gguf: file)
        let source = MemoryBlockSource()
        let manifest = try ModelDecomposer(variants: [.lite]).decompose(path: RealModels.smolLM2) { source.put($0, $1) }
        var perplexity: [Profile: Double] = [:]
        for profile in [Profile.lite, .pro, .ultimate] {
            let cache = try BlockCache(source: source, manifest: manifest, profile: profile, memoryBudget: Self.budget)
            let model = try LlamaModel(configuration: configuration, source: cache, precision: .exact)
            perplexity[profile] = try model.perplexity(of: paragraph)
            let layerVariant = cache.plan.choice(.layer(0))?.variant
            print("ProfileQualityTests: SmolLM2 \(profile) (layers \(layerVariant.map { "\($0)" } ?? "?")) "
                  + "perplexity \(perplexity[profile]!) over \(paragraph.count) tokens")
        }
        let direct = try LlamaModel(gguf: file, precision: .exact).perplexity(of: paragraph)
        let lite = try #require(perplexity[.lite]), pro = try #require(perplexity[.pro])
        let ultimate = try #require(perplexity[.ultimate])
        print("ProfileQualityTests: SmolLM2 mapped GGUF perplexity \(direct); lite/ultimate \(lite / ultimate)")
        // Ultimate blocks hold the GGUF's bytes; only the head's sgemm over 16 table shards instead of one
        // table rounds differently (OpenBLAS blocking depends on the row count): equal to 1e-6.
        #expect(abs(ultimate - direct) <= 1e-6 * direct, "ultimate blocks hold the GGUF's bytes, so the same arithmetic")
        #expect(pro == ultimate, "pro of a Q4_1 model is served by ultimate")
        #expect(ultimate > 1 && ultimate < 40, "a broken forward pass gives hundreds")
        #expect(lite != ultimate, "lite really runs other (Q4_0) weights")
        #expect(lite < ultimate * 1.25, "lite \(lite) vs ultimate \(ultimate)")
    }

    /// MiniLM per profile on the 20 reference sentences: ultimate (F32) agrees with sentence-transformers
    /// (cosine ≥ 0.9999), pro (Q8_0 layers) has cosine ≥ 0.999 with ultimate on every sentence, lite (Q4_1
    /// layers) ≥ 0.92 (measured: min 0.931, mean 0.968).
    @Test func miniLMCosinePerProfile() throws {
        guard RealModels.present(RealModels.miniLM + "/model.safetensors") else { return }
        let sentences = try Self.reference("minilm-reference.json", as: MiniLMSentences.self).sentences
        #expect(sentences.count >= 20)
        let source = MemoryBlockSource()
        let manifest = try ModelDecomposer().decompose(path: RealModels.miniLM) { source.put($0, $1) }
        let configuration = try BertConfiguration(contentsOf: RealModels.miniLM + "/config.json")
        let tokenizer = try WordPieceTokenizer(vocabularyFile: RealModels.miniLM + "/vocab.txt")
        var vectors: [Profile: [[Float]]] = [:]
        for profile in [Profile.lite, .pro, .ultimate] {
            let cache = try BlockCache(source: source, manifest: manifest, profile: profile, memoryBudget: Self.budget)
            let embedder = try SentenceEmbedder(model: BertModel(configuration: configuration, weights: cache),
                                                tokenizer: tokenizer, source: "blocks (\(profile))")
            vectors[profile] = try embedder.embed(sentences.map(\.text)).vectors
        }
        let ultimate = try #require(vectors[.ultimate])
        let toReference = zip(ultimate, sentences).map { Self.cosine($0, $1.embedding) }.min() ?? 0
        print("ProfileQualityTests: MiniLM ultimate vs sentence-transformers min cosine \(toReference)")
        #expect(toReference >= 0.9999)
        for (profile, bound) in [(Profile.pro, 0.999), (.lite, 0.92)] {
            let ours = try #require(vectors[profile])
            let cosines = zip(ours, ultimate).map { Self.cosine($0, $1) }
            let mean = cosines.reduce(0, +) / Double(cosines.count)
            print("ProfileQualityTests: MiniLM \(profile) vs ultimate cosine min \(cosines.min()!) mean \(mean)")
            #expect(cosines.count == sentences.count)
            #expect(cosines.allSatisfy { $0 >= bound }, "\(profile): cosines \(cosines)")
            #expect(cosines.contains { $0 < 1 - 1e-7 }, "\(profile) really runs requantised weights")
        }
    }
}
