import Foundation
import Testing
import VeectorEngine

/// The parts of `Tests/Reference/smollm2-reference.json` (written by `Tests/Reference/smollm2_reference.py`
/// with llama.cpp) that Swift tests read: per prompt its text, llama.cpp's token ids, the greedy
/// continuation and the teacher-forced logits. Field names follow the JSON; see its "notes".
struct SmolLM2Reference: Decodable {
    /// One prompt of the reference: a chat question rendered with the GGUF's template, or raw text.
    struct Prompt: Decodable {
        let name: String
        let kind: String
        let messages: [ChatMessage]?
        let text: String
        let promptIDs: [Int]
        let greedy: Greedy
        let teacherForced: TeacherForced
        let fullLogits: [FullLogits]
        let q41LlamaCpp: QuantisedPath

        enum CodingKeys: String, CodingKey {
            case name, kind, messages, text, greedy
            case promptIDs = "prompt_ids", teacherForced = "teacher_forced", fullLogits = "full_logits"
            case q41LlamaCpp = "q4_1_llama_cpp"
        }
    }
    /// The F32 model's greedy continuation, decoded by llama.cpp with special tokens shown.
    struct Greedy: Decodable {
        let ids: [Int]
        let text: String
        let top2Margins: [Float]
        enum CodingKeys: String, CodingKey { case ids, text, top2Margins = "top2_margins" }
    }
    /// Logits along prompt + continuation evaluated in one batch: row i scores the token after ids[i].
    struct TeacherForced: Decodable {
        let ids: [Int]
        let top10IDs: [[Int]]
        let top10Logits: [[Float]]
        let sampleIDs: [Int]
        let sampleLogitsBase64: String
        let sampleLogitsShape: [Int]
        enum CodingKeys: String, CodingKey {
            case ids, top10IDs = "top10_ids", top10Logits = "top10_logits", sampleIDs = "sample_ids"
            case sampleLogitsBase64 = "sample_logits_f32le_base64", sampleLogitsShape = "sample_logits_shape"
        }
    }
    /// Every vocabulary logit at one position.
    struct FullLogits: Decodable {
        let position: Int
        let logitsBase64: String
        enum CodingKeys: String, CodingKey { case position, logitsBase64 = "logits_f32le_base64" }
    }
    /// llama.cpp's own Q4_1 path: a loose reference (greedy only for chat prompts).
    struct QuantisedPath: Decodable {
        let greedy: Greedy?
        struct Greedy: Decodable { let ids: [Int]; let text: String }
    }
    /// Vocabulary size and the model files the reference was made from.
    struct Model: Decodable {
        let vocabSize: Int
        let chatTemplate: String
        enum CodingKeys: String, CodingKey { case vocabSize = "vocab_size", chatTemplate = "chat_template" }
    }

    let schema: String
    let model: Model
    let prompts: [Prompt]

    /// The committed reference file of this repository.
    static let path = repositoryRoot() + "/Tests/Reference/smollm2-reference.json"

    /// Reads and decodes `path`.
    static func load(_ path: String = SmolLM2Reference.path) throws -> SmolLM2Reference {
        try JSONDecoder().decode(SmolLM2Reference.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Little-endian f32 values from base64 text; nil when the text is not base64 of whole floats.
    static func floats(base64: String) -> [Float]? {
        guard let data = Data(base64Encoded: base64), data.count % 4 == 0 else { return nil }
        let bytes = [UInt8](data)
        var floats: [Float] = []
        floats.reserveCapacity(bytes.count / 4)
        for offset in stride(from: 0, to: bytes.count, by: 4) {
            var bits = UInt32(bytes[offset + 3])
            bits = bits << 8 | UInt32(bytes[offset + 2])
            bits = bits << 8 | UInt32(bytes[offset + 1])
            bits = bits << 8 | UInt32(bytes[offset])
            floats.append(Float(bitPattern: bits))
        }
        return floats
    }
}

/// Our SmolLM2 tokenizer and chat template against the llama.cpp reference in
/// `Tests/Reference/smollm2-reference.json`: the prompt token ids that the engine's correctness tests
/// feed must be exactly llama.cpp's. Tests that need the GGUF skip when it is absent (CI without models).
@Suite struct ReferenceTokenizerTests {
    static let smolLM2 = repositoryRoot() + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

    func present(_ path: String) -> Bool {
        if FileManager.default.fileExists(atPath: path) { return true }
        print("ReferenceTokenizerTests: \(path) is absent; run scripts/fetch-models.sh to check the real tokenizer. Skipping.")
        return false
    }

    @Test func promptIDsMatchLlamaCpp() throws {
        guard present(Self.smolLM2) else { return }
        let reference = try SmolLM2Reference.load()
        let file = try GGUFFile(path: Self.smolLM2)
        let tokenizer = try BytePairTokenizer(gguf: file)
        let jinja = try #require(file["tokenizer.chat_template"]?.stringValue)
        #expect(jinja == reference.model.chatTemplate)
        let template = ChatTemplate(jinja: jinja)
        #expect(reference.prompts.count == 6)
        for prompt in reference.prompts {
            if prompt.kind == "chat" {
                let messages = try #require(prompt.messages, "\(prompt.name): chat prompt without messages")
                #expect(template.render(messages) == prompt.text, "\(prompt.name): rendered chat text differs")
            }
            #expect(tokenizer.encode(prompt.text) == prompt.promptIDs, "\(prompt.name): token ids differ")
            #expect(tokenizer.decode(prompt.promptIDs) == prompt.text, "\(prompt.name): decoding differs")
        }
    }

    @Test func continuationsDecodeLikeLlamaCpp() throws {
        guard present(Self.smolLM2) else { return }
        let reference = try SmolLM2Reference.load()
        let tokenizer = try BytePairTokenizer(gguf: GGUFFile(path: Self.smolLM2))
        for prompt in reference.prompts {
            #expect(tokenizer.decode(prompt.greedy.ids) == prompt.greedy.text, "\(prompt.name): F32 greedy text")
            if let q4 = prompt.q41LlamaCpp.greedy {
                #expect(tokenizer.decode(q4.ids) == q4.text, "\(prompt.name): Q4_1 greedy text")
            }
        }
    }

    /// The reference file itself is complete and consistent (no model needed): shapes, base64 sizes,
    /// sorted top-10 lists, sampled logits that agree with the top-10 where ids overlap and never
    /// exceed the 10th logit elsewhere, and full-vocabulary rows whose maximum is the top-1 logit.
    @Test func referenceFileIsConsistent() throws {
        let reference = try SmolLM2Reference.load()
        #expect(reference.schema == "veector.smollm2-reference/1")
        let vocabulary = reference.model.vocabSize
        #expect(vocabulary == 49152)
        #expect(reference.prompts.reduce(0) { $0 + $1.fullLogits.count } == 4)
        for prompt in reference.prompts {
            let forced = prompt.teacherForced
            let rows = forced.ids.count, columns = forced.sampleIDs.count
            #expect(forced.ids == prompt.promptIDs + prompt.greedy.ids, "\(prompt.name)")
            #expect(prompt.greedy.top2Margins.count == prompt.greedy.ids.count && prompt.greedy.ids.count <= 32)
            #expect(prompt.greedy.top2Margins.allSatisfy { $0 >= 0 }, "\(prompt.name): negative margin")
            #expect(forced.top10IDs.count == rows && forced.top10Logits.count == rows, "\(prompt.name)")
            #expect(columns == 256 && forced.sampleIDs.allSatisfy { (0..<vocabulary).contains($0) })
            #expect(forced.sampleLogitsShape == [rows, columns], "\(prompt.name)")
            let sample = try #require(SmolLM2Reference.floats(base64: forced.sampleLogitsBase64))
            try #require(sample.count == rows * columns, "\(prompt.name): sample size")
            try #require(forced.top10IDs.count == rows && forced.top10Logits.count == rows)
            for row in 0..<rows {
                let ids = forced.top10IDs[row], logits = forced.top10Logits[row]
                try #require(ids.count == 10 && logits.count == 10, "\(prompt.name) row \(row)")
                #expect(zip(logits, logits.dropFirst()).allSatisfy { $0 >= $1 }, "\(prompt.name) row \(row): unsorted")
                let top = Dictionary(zip(ids, logits), uniquingKeysWith: { first, _ in first })
                #expect(top.count == 10, "\(prompt.name) row \(row): repeated top-10 id")
                for (column, id) in forced.sampleIDs.enumerated() {
                    let value = sample[row * columns + column]
                    if let logit = top[id] {
                        #expect(value == logit, "\(prompt.name) row \(row) id \(id)")
                    } else {
                        #expect(value <= logits[9], "\(prompt.name) row \(row): id \(id) beats the top-10")
                    }
                }
            }
            for full in prompt.fullLogits {
                let logits = try #require(SmolLM2Reference.floats(base64: full.logitsBase64))
                #expect(logits.count == vocabulary, "\(prompt.name) @\(full.position)")
                try #require((0..<rows).contains(full.position), "\(prompt.name): position \(full.position) outside")
                #expect(logits.max() == forced.top10Logits[full.position].first, "\(prompt.name) @\(full.position)")
            }
        }
    }
}
