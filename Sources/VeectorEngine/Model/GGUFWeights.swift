/// A `WeightSource` over a whole GGUF model file: every tensor stays in the file's memory mapping, so
/// nothing is loaded, copied or evicted.
///
/// It is what runs a model straight from a downloaded file, and the reference that block-backed sources
/// are compared against. Blocks follow llama.cpp's tensor names: `.embedding` holds `token_embd.weight`;
/// `.layer(n)` holds `blk.n.*` under local names (`attn_norm.weight`, `attn_q.weight`, …,
/// `ffn_down.weight`); `.head` holds `output_norm.weight` and `output.weight`, which is the embedding
/// tensor itself (not a copy) when the model ties its embeddings.
public final class GGUFWeights: WeightSource {
    /// The mapped file the tensors point into.
    public let file: GGUFFile
    /// How many `blk.n.*` layers the file holds (one more than the highest `n`).
    public let layerCount: Int
    private let blocks: [BlockRole: WeightBlock]

    /// Groups the file's tensors into blocks. Tensors that belong to no block (none in a llama file) are
    /// ignored; a block without tensors is reported as `missingTensor` when asked for.
    public init(file: GGUFFile) {
        self.file = file
        var embedding: [String: Tensor] = [:]
        var head: [String: Tensor] = [:]
        var layers: [Int: [String: Tensor]] = [:]
        for info in file.tensors {
            let name = info.name
            if name.hasPrefix("blk.") {
                let rest = name.dropFirst(4)
                guard let dot = rest.firstIndex(of: "."), let n = Int(rest[rest.startIndex..<dot]), n >= 0 else { continue }
                let local = String(rest[rest.index(after: dot)...])
                layers[n, default: [:]][local] = Self.tensor(info, named: local, in: file)
            } else if name == "token_embd.weight" {
                embedding[name] = Self.tensor(info, named: name, in: file)
            } else if name.hasPrefix("output") {
                head[name] = Self.tensor(info, named: name, in: file)
            }
        }
        if head["output.weight"] == nil, let tied = embedding["token_embd.weight"] {
            head["output.weight"] = Tensor(name: "output.weight", type: tied.type, dimensions: tied.dimensions,
                                           bytes: tied.bytes, owner: file)
        }
        var blocks: [BlockRole: WeightBlock] = [
            .embedding: WeightBlock(role: .embedding, tensors: embedding),
            .head: WeightBlock(role: .head, tensors: head),
        ]
        for (n, tensors) in layers { blocks[.layer(n)] = WeightBlock(role: .layer(n), tensors: tensors) }
        self.blocks = blocks
        self.layerCount = (layers.keys.max() ?? -1) + 1
    }

    /// Opens and maps the GGUF file at `path`. Throws `MappedFileError` or `GGUFError`.
    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }

    /// Whether the head's output projection is the token embedding (no `output.weight` in the file).
    public var tiedEmbeddings: Bool { (try? file.tensor(named: "output.weight")) == nil }

    /// The block's tensors, in place in the mapping; `unavailable` for a layer the file does not have.
    public func block(_ role: BlockRole) throws(WeightSourceError) -> WeightBlock {
        guard let block = blocks[role] else {
            throw .unavailable(block: role, reason: "the GGUF file \(file.file.path) has no tensors for it")
        }
        return block
    }

    private static func tensor(_ info: GGUFTensorInfo, named name: String, in file: GGUFFile) -> Tensor {
        Tensor(name: name, type: info.type, dimensions: info.dimensions, bytes: file.bytes(of: info), owner: file)
    }
}
