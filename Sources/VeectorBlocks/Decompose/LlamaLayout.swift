import VeectorEngine

/// How a llama GGUF splits into blocks: `token_embd.weight` → embedding; `blk.N.*` → layer N under
/// the name without `blk.N.`; everything else (`output_norm.weight`, `output.weight`) → head. A model
/// without `output.weight` ties its output to the embedding.
///
/// With `.sharded(k)` (what imports use) the table is cut into at most k row shards `embedding.0…`
/// of ⌈vocab / k⌉ contiguous rows each (the last one shorter), and a tied head holds only its norm:
/// the engine computes its logits shard by shard. With `.single` the table is one `embedding` block and
/// a tied head borrows `token_embd.weight` from it (the layout of models imported before shards).
enum LlamaLayout {
    static func recipes(_ file: GGUFFile, path: String, table: TokenTableLayout) throws(DecomposeError) -> [BlockRecipe] {
        let arch = file.architecture ?? "?"
        guard arch == "llama" else { throw .unsupportedArchitecture(arch) }
        guard let layers = file.architectureInteger("block_count"), layers > 0 else {
            throw .missing(what: "llama.block_count", path: path)
        }
        guard let hidden = file.architectureInteger("embedding_length") else { throw .missing(what: "llama.embedding_length", path: path) }
        var embedding: [SourceTensor] = [], head: [SourceTensor] = []
        var layer = Array(repeating: [SourceTensor](), count: layers)
        for info in file.tensors {
            let local: String
            if info.name.hasPrefix("blk.") {
                let parts = info.name.split(separator: ".", maxSplits: 2)
                guard parts.count == 3, let n = Int(parts[1]), n >= 0, n < layers else {
                    throw .badTensor(name: info.name, reason: "names a layer outside 0..<\(layers) (llama.block_count)")
                }
                local = String(parts[2])
                layer[n].append(source(file, info, local))
            } else if info.name.hasPrefix("token_embd.") {
                embedding.append(source(file, info, info.name))
            } else {
                head.append(source(file, info, info.name))
            }
        }
        guard let embd = embedding.first(where: { $0.name == "token_embd.weight" }) else {
            throw .missing(what: "tensor token_embd.weight", path: path)
        }
        for (n, tensors) in layer.enumerated() where tensors.isEmpty {
            throw .missing(what: "the tensors of layer \(n) (blk.\(n).*)", path: path)
        }
        let vocab = file.architectureInteger("vocab_size") ?? embd.dims.last ?? 0
        var headRecipe = BlockRecipe(role: .head, input: [hidden], output: [vocab], tensors: head, hasVariants: false)
        let tied = !head.contains(where: { $0.name == "output.weight" })
        let layerRecipes = layer.enumerated().map { BlockRecipe(role: .layer($0), input: [hidden], output: [hidden], tensors: $1, hasVariants: true) }
        switch table {
        case .single:
            if tied { headRecipe.needs = [BlockNeed(role: "embedding", tensor: "token_embd.weight", as: "output.weight")] }
            return [BlockRecipe(role: .embedding, input: [], output: [hidden], tensors: embedding, hasVariants: false)] + layerRecipes + [headRecipe]
        case let .sharded(count):
            guard embedding.count == 1, embd.dims.count == 2, embd.dims[0] == hidden, embd.dims[1] > 0 else {
                throw .badTensor(name: "token_embd.weight", reason: "dimensions \(embd.dims) (with \(embedding.count - 1) other token_embd.* tensors) are not one [\(hidden), vocab] table that can be cut into row shards")
            }
            let shards = TokenTableLayout.shardRows(rows: embd.dims[1], count: count).enumerated().map { n, rows in
                var r = BlockRecipe(role: .embeddingShard(n), input: [], output: [hidden], tensors: [embd.rows(rows)], hasVariants: false)
                r.rows = [rows.lowerBound, rows.upperBound]
                return r
            }
            return shards + layerRecipes + [headRecipe]
        }
    }

    private static func source(_ file: GGUFFile, _ info: GGUFTensorInfo, _ local: String) -> SourceTensor {
        SourceTensor(name: local, type: info.type, dims: info.dimensions, bytes: file.bytes(of: info)) { () throws(DecomposeError) in
            file.floats(of: info)
        }
    }
}
