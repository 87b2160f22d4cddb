import ContentID
import Foundation
import VeectorBlocks
import VeectorEngine
import VeectorTestSupport

/// A deterministic random source for test weights (splitmix64).
struct WeightRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func floats(_ n: Int, scale: Float = 1) -> [Float] {
        (0..<n).map { _ in Float.random(in: -scale...scale, using: &self) }
    }
}

/// A small llama model written as a real GGUF file: Q8_0 token embedding, `layers` layers of an F32
/// norm and two Q4_1 matrices, an F32 output norm and no `output.weight` (tied to the embedding).
struct SyntheticLlama {
    var layers = 6
    var hidden = 64
    var feedForward = 128
    var vocab = 64
    var seed: UInt64 = 1
    /// Layers whose weights are drawn from another seed (to make two models that share the rest).
    var alteredLayers: Set<Int> = []

    func tensors() -> [GGUFBuilder.TensorData] {
        var rng = WeightRandom(state: seed)
        var out: [GGUFBuilder.TensorData] = []
        out.append(("token_embd.weight", .q8_0, [hidden, vocab], Requantizer.quantize(rng.floats(hidden * vocab), to: .q8_0)))
        for n in 0..<layers {
            // Each layer draws from its own stream, so altering one leaves the others as they were.
            var r = WeightRandom(state: seed &* 7919 &+ UInt64(n) &+ (alteredLayers.contains(n) ? 1 << 40 : 0))
            out.append(("blk.\(n).attn_norm.weight", .f32, [hidden], floatBytes(r.floats(hidden))))
            out.append(("blk.\(n).attn_q.weight", .q4_1, [hidden, hidden], Requantizer.quantize(r.floats(hidden * hidden, scale: 0.1), to: .q4_1)))
            out.append(("blk.\(n).ffn_up.weight", .q4_1, [hidden, feedForward], Requantizer.quantize(r.floats(hidden * feedForward, scale: 0.1), to: .q4_1)))
        }
        out.append(("output_norm.weight", .f32, [hidden], floatBytes(rng.floats(hidden))))
        return out
    }

    func metadata() -> [(key: String, value: GGUFValue)] {
        [("general.architecture", .string("llama")),
         ("general.name", .string("synthetic")),
         ("llama.block_count", .uint32(UInt32(layers))),
         ("llama.embedding_length", .uint32(UInt32(hidden))),
         ("llama.feed_forward_length", .uint32(UInt32(feedForward))),
         ("llama.rope.freq_base", .float32(100000)),
         ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
         ("tokenizer.ggml.model", .string("gpt2")),
         ("tokenizer.ggml.tokens", .array(elementType: .string, elements: (0..<vocab).map { .string("t\($0)") }))]
    }

    func bytes() -> [UInt8] { GGUFBuilder.write(metadata(), tensors: tensors()) }

    /// Writes the GGUF into `dir` and returns its path.
    func write(in dir: TemporaryDirectory, name: String = "synthetic.gguf") -> String {
        let path = dir.file(name)
        writeBytes(bytes(), to: path)
        return path
    }

    /// Decomposes the model into a fresh in-memory store (by default with the token table as one block,
    /// the layout models imported before table shards have, which the cache tests exercise).
    func decompose(in dir: TemporaryDirectory, variants: Set<Variant> = Set(Variant.allCases),
                   tokenTable: TokenTableLayout = .single) throws -> (ModelManifest, MemoryBlockSource) {
        let source = MemoryBlockSource()
        let manifest = try ModelDecomposer(variants: variants, tokenTable: tokenTable).decompose(path: write(in: dir)) { source.put($0, $1) }
        return (manifest, source)
    }
}

func floatBytes(_ values: [Float]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

/// Root of the package (for the real models in .cache/models).
func repositoryRoot(_ file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// The real models, when fetched by scripts/fetch-models.sh.
enum RealModels {
    static let smolLM2 = repositoryRoot() + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let miniLM = repositoryRoot() + "/.cache/models/minilm"

    static func present(_ path: String) -> Bool {
        if FileManager.default.fileExists(atPath: path) { return true }
        print("VeectorBlocksTests: \(path) is absent; run scripts/fetch-models.sh to test with the real model. Skipping.")
        return false
    }
}
