import Foundation
import VeectorEngine

/// Paths, the reference file and small helpers shared by the BERT tests.
enum BertTestSupport {
    /// The real all-MiniLM-L6-v2 folder (fetched by scripts/fetch-models.sh).
    static let miniLMFolder = repositoryRoot() + "/.cache/models/minilm"
    /// Embeddings computed by PyTorch + sentence-transformers (Tests/Reference/minilm_reference.py).
    static let referencePath = repositoryRoot() + "/Tests/Reference/minilm-reference.json"

    /// Whether the model is present; says so when it is not (that is a skip, not a failure).
    static func modelPresent(_ test: String = #function) -> Bool {
        if FileManager.default.fileExists(atPath: miniLMFolder + "/model.safetensors") { return true }
        print("\(test): \(miniLMFolder) is absent; run scripts/fetch-models.sh to check the real model. Skipping.")
        return false
    }

    /// One sentence of the reference file.
    struct ReferenceSentence: Decodable {
        let text: String
        let token_ids: [Int]
        let embedding: [Float]
    }

    /// The reference file.
    struct Reference: Decodable {
        let max_seq_length: Int
        let sentences: [ReferenceSentence]
    }

    /// Loads the committed reference file.
    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: referencePath)))
    }

    /// Cosine similarity, in Double.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}

/// A weight source that serves another source's blocks with chosen tensors changed: removed, or
/// matrices re-encoded as Q8_0 (a real "lite" variant of each layer, quantised as ggml's
/// `quantize_row_q8_0_ref` does). Used to check the missing-tensor error and the dequantising path.
final class RewrittenWeights: WeightSource, @unchecked Sendable {
    let base: any WeightSource
    let removing: (BlockRole, String)?
    let quantizeLayers: Bool
    private var storage: [UnsafeMutableRawBufferPointer] = []
    private var cache: [BlockRole: WeightBlock] = [:]
    private let lock = NSLock()
    private(set) var prefetched: [BlockRole] = []

    init(base: any WeightSource, removing: (BlockRole, String)? = nil, quantizeLayers: Bool = false) {
        self.base = base
        self.removing = removing
        self.quantizeLayers = quantizeLayers
    }

    func prefetch(_ role: BlockRole) {
        lock.lock()
        prefetched.append(role)
        lock.unlock()
    }

    func block(_ role: BlockRole) throws(WeightSourceError) -> WeightBlock {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[role] { return cached }
        var tensors = try base.block(role).tensors
        if let (r, name) = removing, r == role { tensors[name] = nil }
        if quantizeLayers, case .layer = role {
            for (name, t) in tensors where t.type == .f32 && t.dimensions.count == 2 {
                tensors[name] = quantizeQ8_0(t)
            }
        }
        let block = WeightBlock(role: role, tensors: tensors)
        cache[role] = block
        return block
    }

    /// The tensor re-encoded as Q8_0 blocks held by this source.
    private func quantizeQ8_0(_ t: Tensor) -> Tensor {
        let floats = t.bytes.bindMemory(to: Float.self)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(t.elementCount / 32 * 34)
        for b in stride(from: 0, to: t.elementCount, by: 32) {
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(floats[b + j])) }
            let d = amax / 127
            let inverse: Float = d == 0 ? 0 : 1 / d
            let bits = Float16(d).bitPattern
            bytes.append(UInt8(bits & 0xff))
            bytes.append(UInt8(bits >> 8))  // little-endian f16 scale
            for j in 0..<32 { bytes.append(UInt8(bitPattern: Int8((floats[b + j] * inverse).rounded()))) }
        }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
        bytes.withUnsafeBytes { raw.copyMemory(from: $0) }
        storage.append(raw)
        return Tensor(name: t.name, type: .q8_0, dimensions: t.dimensions, bytes: UnsafeRawBufferPointer(raw), owner: self)
    }

    deinit {
        for buffer in storage { buffer.deallocate() }
    }
}
