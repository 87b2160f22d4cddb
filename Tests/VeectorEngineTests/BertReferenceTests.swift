import Foundation
import Testing
import VeectorEngine

/// The MiniLM forward pass against PyTorch + sentence-transformers (Tests/Reference/minilm-reference.json):
/// identical token ids, and embeddings whose cosine with the reference is at least 0.99999 each.
@Suite struct BertReferenceTests {
    @Test func tokenIDsMatchReference() throws {
        guard BertTestSupport.modelPresent() else { return }
        let reference = try BertTestSupport.reference()
        #expect(reference.max_seq_length == SentenceEmbedder.defaultMaximumLength)
        let embedder = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder)
        for sentence in reference.sentences {
            #expect(embedder.tokenIDs(sentence.text).ids == sentence.token_ids, "text: \(sentence.text.prefix(60))")
        }
        #expect(reference.sentences.contains { $0.token_ids.count == 256 }, "the reference has a truncated text")
    }

    @Test func batchedEmbeddingsMatchReference() throws {
        guard BertTestSupport.modelPresent() else { return }
        let reference = try BertTestSupport.reference()
        let embedder = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder)
        let result = try embedder.embed(reference.sentences.map(\.text))
        #expect(result.vectors.count == reference.sentences.count)
        #expect(result.dimension == 384)
        var minimum = 1.0
        for (vector, sentence) in zip(result.vectors, reference.sentences) {
            let cosine = BertTestSupport.cosine(vector, sentence.embedding)
            minimum = min(minimum, cosine)
            #expect(cosine >= 0.99999, "cosine \(cosine) for: \(sentence.text.prefix(60))")
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        print("BertReferenceTests: minimum cosine with PyTorch over \(reference.sentences.count) sentences: \(minimum)")
        let p = result.provenance
        #expect(p.tokenCounts == reference.sentences.map(\.token_ids.count))
        #expect(p.truncated.filter { $0 }.count == 1)
        #expect(p.blocks == ["embedding"] + (0..<6).map { "layer.\($0)" })
        #expect(p.tensorTypes == ["F32": 5 * p.passes + 16 * 6 * p.passes])
        #expect(p.maximumLength == 256 && p.threads == 1)
    }

    /// One short text at a time (fewer than 32 tokens: the plain-loop products, not sgemm) gives the
    /// same vectors as the packed batch, and two threads with small passes give the same as one.
    @Test func singleTextsAndThreadsAgreeWithBatch() throws {
        guard BertTestSupport.modelPresent() else { return }
        let reference = try BertTestSupport.reference()
        let one = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder)
        let two = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder, threads: 2, tokensPerPass: 64)
        let texts = reference.sentences.map(\.text)
        let batched = try one.embed(texts).vectors
        let threaded = try two.embed(texts)
        #expect(threaded.provenance.passes > 1 && threaded.provenance.threads == 2)
        for i in texts.indices {
            #expect(BertTestSupport.cosine(threaded.vectors[i], batched[i]) > 0.999999, "text \(i)")
        }
        let short = texts.indices.filter { reference.sentences[$0].token_ids.count < 16 }.prefix(4)
        #expect(short.count == 4)
        for i in short {
            let single = try one.embed(texts[i])
            #expect(single.provenance.passes == 1)
            #expect(BertTestSupport.cosine(single.vectors[0], batched[i]) > 0.999999, "text \(i)")
            #expect(BertTestSupport.cosine(single.vectors[0], reference.sentences[i].embedding) >= 0.99999, "text \(i)")
        }
    }

    /// Layers re-encoded as Q8_0 go through the dequantising path: still close to PyTorch, not identical.
    @Test func quantisedLayersAreDequantisedAndStayClose() throws {
        guard BertTestSupport.modelPresent() else { return }
        let reference = try BertTestSupport.reference()
        let folder = BertTestSupport.miniLMFolder
        let weights = RewrittenWeights(base: try SafetensorsWeights(folder: folder), quantizeLayers: true)
        let model = BertModel(configuration: try BertConfiguration(contentsOf: folder + "/config.json"), weights: weights)
        let embedder = try SentenceEmbedder(model: model, tokenizer: try WordPieceTokenizer(vocabularyFile: folder + "/vocab.txt"))
        let result = try embedder.embed(reference.sentences.map(\.text))
        #expect(result.provenance.tensorTypes["Q8_0"] == 6 * 6 * result.provenance.passes)
        var minimum = 1.0
        var identical = 0
        for (vector, sentence) in zip(result.vectors, reference.sentences) {
            let cosine = BertTestSupport.cosine(vector, sentence.embedding)
            minimum = min(minimum, cosine)
            if cosine > 0.9999999 { identical += 1 }
        }
        print("BertReferenceTests: Q8_0 layers, minimum cosine with PyTorch: \(minimum)")
        #expect(minimum >= 0.99)
        #expect(identical < reference.sentences.count, "the quantised weights were really used")
        #expect(weights.prefetched.contains(.layer(5)), "layer n+1 is prefetched before layer n runs")
    }
}
