import Foundation
import Testing
import VeectorEngine

/// The llama forward pass and generation on the real SmolLM2-135M-Instruct Q4_1 model. When the file
/// is absent (CI without models) each test says so and returns: that is not a failure. Token counts are
/// kept small so the suite stays fast in debug builds; Spec/engine.md describes the heavier release run.
@Suite(.serialized) struct LlamaRealModelTests {
    static let path = repositoryRoot() + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The model file, tokenizer and an exact-precision model, or nil (with a note) when absent.
    static func load(precision: ComputePrecision = .exact) throws -> (LlamaModel, BytePairTokenizer)? {
        guard FileManager.default.fileExists(atPath: path) else {
            print("LlamaRealModelTests: \(path) is absent; run scripts/fetch-models.sh to check the real model. Skipping.")
            return nil
        }
        let file = try GGUFFile(path: path)
        return (try LlamaModel(gguf: file, precision: precision), try BytePairTokenizer(gguf: file))
    }

    static func chat(_ question: String, _ tokenizer: BytePairTokenizer) -> [Int] {
        tokenizer.encode(ChatTemplate().render([ChatMessage(role: "user", content: question)]))
    }

    @Test func configurationFromMetadata() throws {
        guard let (model, _) = try Self.load() else { return }
        let c = model.configuration
        #expect(c.layerCount == 30 && c.embeddingLength == 576 && c.feedForwardLength == 1536)
        #expect(c.headCount == 9 && c.keyValueHeadCount == 3 && c.headDimension == 64)
        #expect(c.ropeFrequencyBase == 100000 && c.rmsNormEpsilon == 1e-5 && c.vocabularySize == 49152)
        #expect(c.stopTokenIDs.contains(2))
        let weights = try #require(model.source as? GGUFWeights)
        #expect(weights.layerCount == 30 && weights.tiedEmbeddings)
        let head = try weights.block(.head)
        let embedding = try weights.block(.embedding).tensor("token_embd.weight")
        #expect(try head.tensor("output.weight").bytes.baseAddress == embedding.bytes.baseAddress)
        #expect(try weights.block(.layer(3)).tensor("ffn_down.weight").dimensions == [1536, 576])
        #expect(throws: WeightSourceError.unavailable(block: .layer(30), reason: "the GGUF file \(Self.path) has no tensors for it")) {
            try weights.block(.layer(30))
        }
    }

    @Test func capitalOfFranceIsParis() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let generator = LlamaGenerator(model: model)
        var streamed: [Int] = []
        let result = try generator.generate(
            prompt: Self.chat("What is the capital of France?", tokenizer),
            options: GenerationOptions(maxTokens: 7, speculative: .off)) { streamed.append($0) }
        let text = tokenizer.decode(result.tokens)
        print("LlamaRealModelTests: greedy answer \(text.debugDescription), \(result.provenance)")
        #expect(text.contains("Paris"))
        #expect(streamed == result.tokens)
        let p = result.provenance
        #expect(p.blocks == [.embedding] + (0..<30).map { .layer($0) } + [.head])
        #expect(p.layersPerToken.count == p.generatedTokens && p.layersPerToken.allSatisfy { $0 == 30 })
        #expect(p.precision == .exact && p.strategy == .plain && p.promptTokens > 20)
    }

    /// Perplexity of a fixed English paragraph (measured 2026-11-23, exact precision: see Spec/engine.md).
    @Test func perplexityOfEnglishIsSane() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let tokens = tokenizer.encode(Self.paragraph)
        let perplexity = try model.perplexity(of: tokens)
        print("LlamaRealModelTests: perplexity \(perplexity) over \(tokens.count) tokens")
        #expect(perplexity > 1 && perplexity < 40)
    }

    /// A 32-token prompt in one pass (OpenBLAS sgemm on dequantised weights) against the kernels on the
    /// stored blocks: the first 31 tokens as one 31-column pass (below the sgemm threshold; the kernels
    /// compute each column exactly as a one-token pass would), then the last token alone. The logits of
    /// the last two positions agree closely.
    @Test func batchedPromptMatchesTokenByToken() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let tokens = Array(tokenizer.encode(Self.paragraph).prefix(32))
        #expect(tokens.count == 32)
        var batchedCache = model.makeCache(contextWindow: 64)
        let batched = try model.forward(tokens, cache: &batchedCache, logits: .all)
        var cache = model.makeCache(contextWindow: 64)
        let first = try model.forward(Array(tokens.prefix(31)), cache: &cache, logits: .last)[0]
        let last = try model.forward([tokens[31]], cache: &cache, logits: .last)[0]
        var maxDelta: Float = 0
        for (a, b) in zip(first, batched[30]) { maxDelta = max(maxDelta, abs(a - b)) }
        for (a, b) in zip(last, batched[31]) { maxDelta = max(maxDelta, abs(a - b)) }
        print("LlamaRealModelTests: batched (sgemm) vs kernels max |Δlogit| = \(maxDelta)")
        #expect(batchedCache.count == 32 && cache.count == 32)
        #expect(maxDelta < 0.01)
        #expect(maxDelta > 0)  // the two paths really are different arithmetic
    }

    @Test(arguments: ["What is the capital of France?", "Name three colours.", "Write a haiku about the sea."])
    func speculativeEqualsGreedy(question: String) throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let generator = LlamaGenerator(model: model)
        let prompt = Self.chat(question, tokenizer)
        let plain = try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: 4, speculative: .off))
        var streamed: [Int] = []
        let speculative = try generator.generate(
            prompt: prompt, options: GenerationOptions(maxTokens: 4, speculative: .on(.init(exitLayer: 12, draftLength: 3)))) {
            streamed.append($0)
        }
        print("LlamaRealModelTests: \(question.debugDescription) → \(tokenizer.decode(plain.tokens).debugDescription); accepted \(speculative.provenance.acceptedTokens)/\(speculative.provenance.draftedTokens)")
        #expect(speculative.tokens == plain.tokens)
        #expect(speculative.stopReason == plain.stopReason)
        #expect(streamed == speculative.tokens)
        #expect(speculative.provenance.draftedTokens > 0)
        #expect(speculative.provenance.strategy == .speculative(.init(exitLayer: 12, draftLength: 3)))
    }

    @Test func oneBeamIsGreedy() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let generator = LlamaGenerator(model: model)
        let prompt = Self.chat("Name three colours.", tokenizer)
        let greedy = try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: 4, speculative: .off))
        let beam = try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: 4, beams: 1))
        #expect(beam.tokens == greedy.tokens)
        #expect(beam.provenance.strategy == .beam(1))
        #expect(beam.stopReason == greedy.stopReason)
    }

    /// Three beams: the reported log-probability is the chosen tokens' log-probability under the model,
    /// recomputed here from one pass over prompt + tokens.
    @Test func beamSearchScoresItsTokens() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let generator = LlamaGenerator(model: model)
        let prompt = Self.chat("What is the capital of France?", tokenizer)
        let result = try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: 3, beams: 3))
        #expect(result.provenance.strategy == .beam(3))
        #expect(result.tokens.count == 3 || result.stopReason != .maxTokens)
        let logP = try #require(result.beamLogProbability)
        var scored = result.tokens
        if case let .stopToken(stop) = result.stopReason { scored.append(stop) }
        var cache = model.makeCache(contextWindow: 128)
        let logits = try model.forward(prompt + scored, cache: &cache, logits: .all)
        var recomputed = 0.0
        for (i, token) in scored.enumerated() {
            let row = logits[prompt.count - 1 + i]
            let m = Double(row.max()!)
            recomputed += Double(row[token]) - m - log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
        }
        print("LlamaRealModelTests: beam 3 → \(tokenizer.decode(result.tokens).debugDescription), log P \(logP) (recomputed \(recomputed))")
        #expect(abs(recomputed - logP) < 0.05)
        #expect(try #require(result.beamScore) == logP / Double(scored.count))
    }

    @Test func tooLongPromptIsATypedError() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let generator = LlamaGenerator(model: model, contextWindow: 16)
        let prompt = tokenizer.encode(Self.paragraph)
        #expect(throws: LlamaError.promptTooLong(tokens: prompt.count, contextWindow: 16)) {
            try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: 2))
        }
        let truncated = try generator.generate(
            prompt: prompt, options: GenerationOptions(maxTokens: 2, truncatePrompt: true, speculative: .off))
        #expect(truncated.provenance.promptTokens == 14)
        #expect(truncated.tokens.count + truncated.provenance.promptTokens <= 16)
    }

    @Test func earlyExitReportsDepths() throws {
        guard let (model, tokenizer) = try Self.load() else { return }
        let generator = LlamaGenerator(model: model)
        let result = try generator.generate(
            prompt: Self.chat("What is the capital of France?", tokenizer),
            options: GenerationOptions(maxTokens: 4, exitThreshold: EarlyExitOptions(threshold: 0.5, exitLayer: 20)))
        let depths = result.provenance.layersPerToken
        print("LlamaRealModelTests: early exit \(tokenizer.decode(result.tokens).debugDescription), depths \(depths)")
        #expect(depths.first == 30 && depths.allSatisfy { $0 == 30 || $0 == 20 })
        #expect(result.provenance.strategy == .earlyExit(EarlyExitOptions(threshold: 0.5, exitLayer: 20)))
    }

    static let paragraph = """
        The city of Paris is the capital of France. It is known for its museums, its cafés and the \
        river Seine, which flows through the middle of the city. Every year, millions of visitors \
        come to see the Eiffel Tower and the paintings of the Louvre.
        """
}
