/// A `WeightSource` over a BERT model stored as one safetensors file (a Hugging Face folder such as
/// all-MiniLM-L6-v2's): the whole file is memory-mapped and every tensor is used in place.
///
/// Blocks and local names: `.embedding` holds `embeddings.*` without the prefix
/// (`word_embeddings.weight`, `position_embeddings.weight`, `token_type_embeddings.weight`,
/// `LayerNorm.weight`, `LayerNorm.bias`); `.layer(n)` holds `encoder.layer.n.*` without the prefix
/// (`attention.self.query.weight`, …); `.head` holds `pooler.*` (`dense.weight`, `dense.bias`), empty when
/// the file has no pooler. A leading `bert.` (as in checkpoints of task models) is ignored. Only F32, F16
/// and BF16 tensors become `Tensor`s; others (MiniLM's I64 `position_ids`) are left out.
public final class SafetensorsWeights: WeightSource {
    /// Why a safetensors model could not be opened.
    public enum OpenError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file is missing, unreadable or not a valid safetensors file.
        case unreadable(path: String, reason: String)
        /// The file holds no `encoder.layer.N.*` tensors: it is not a BERT encoder.
        case notBert(path: String)

        /// What is wrong and what to do.
        public var description: String {
            switch self {
            case let .unreadable(path, reason):
                return "cannot open safetensors model '\(path)': \(reason)"
            case let .notBert(path):
                return "'\(path)' has no encoder.layer.N.* tensors, so it is not a BERT encoder; pass a BERT model.safetensors"
            }
        }
    }

    /// The mapped file.
    public let file: SafetensorsFile
    /// Number of encoder layers found (`encoder.layer.0` … `encoder.layer.<layerCount-1>`).
    public let layerCount: Int
    private let blocks: [BlockRole: WeightBlock]

    /// Maps `model.safetensors` in `folder`.
    public convenience init(folder: String) throws(OpenError) {
        try self.init(path: folder.hasSuffix("/") ? folder + "model.safetensors" : folder + "/model.safetensors")
    }

    /// Maps the safetensors file at `path` and groups its tensors into blocks.
    public init(path: String) throws(OpenError) {
        do {
            file = try SafetensorsFile(path: path)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        var grouped: [BlockRole: [String: Tensor]] = [:]
        for info in file.tensors {
            guard let type = Self.ggmlType(of: info.dtype) else { continue }
            var name = Substring(info.name)
            if name.hasPrefix("bert.") { name = name.dropFirst(5) }
            let role: BlockRole
            let local: Substring
            if name.hasPrefix("embeddings.") {
                role = .embedding
                local = name.dropFirst("embeddings.".count)
            } else if name.hasPrefix("encoder.layer.") {
                let rest = name.dropFirst("encoder.layer.".count)
                guard let dot = rest.firstIndex(of: "."), let n = Int(rest[..<dot]), n >= 0 else { continue }
                role = .layer(n)
                local = rest[rest.index(after: dot)...]
            } else if name.hasPrefix("pooler.") {
                role = .head
                local = name.dropFirst("pooler.".count)
            } else {
                continue
            }
            let tensor = Tensor(name: String(local), type: type, dimensions: Array(info.shape.reversed()),
                                bytes: file.bytes(of: info), owner: file)
            grouped[role, default: [:]][String(local)] = tensor
        }
        var count = 0
        while grouped[.layer(count)] != nil { count += 1 }
        guard count > 0 else { throw .notBert(path: path) }
        layerCount = count
        if grouped[.head] == nil { grouped[.head] = [:] }
        if grouped[.embedding] == nil { grouped[.embedding] = [:] }
        var blocks: [BlockRole: WeightBlock] = [:]
        for (role, tensors) in grouped { blocks[role] = WeightBlock(role: role, tensors: tensors) }
        self.blocks = blocks
    }

    /// The block's tensors, in place in the mapping; `.unavailable` for a layer the file does not have.
    public func block(_ role: BlockRole) throws(WeightSourceError) -> WeightBlock {
        guard let block = blocks[role] else {
            throw .unavailable(block: role, reason: "the model file has layers 0..<\(layerCount) only")
        }
        return block
    }

    /// Everything is mapped already; the kernel pages the bytes in on first use.
    public func prefetch(_ role: BlockRole) {}

    /// The ggml element type of a float dtype; nil for dtypes a `Tensor` cannot describe.
    static func ggmlType(of dtype: SafetensorsDType) -> GGMLType? {
        switch dtype {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        default: return nil
        }
    }
}
