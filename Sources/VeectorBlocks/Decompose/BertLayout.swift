import VeectorEngine

/// How a BERT safetensors file splits into blocks, under the engine's local names (as
/// `SafetensorsWeights` serves them): `embeddings.*` → embedding without `embeddings.`;
/// `encoder.layer.N.*` → layer N without `encoder.layer.N.`; `pooler.*` → head without `pooler.` (the
/// head is empty when there is no pooler). PyTorch shapes `[out, in]` become ggml dimensions
/// `[in, out]` with the bytes unchanged. Non-float buffers (`embeddings.position_ids`) are left out:
/// they are the positions 0…n-1, not weights.
enum BertLayout {
    static func recipes(_ file: SafetensorsFile, config: [String: ConfigValue], path: String) throws(DecomposeError) -> [BlockRecipe] {
        guard let layers = config["num_hidden_layers"]?.intValue, layers > 0 else {
            throw .missing(what: "num_hidden_layers in config.json", path: path)
        }
        guard let hidden = config["hidden_size"]?.intValue else { throw .missing(what: "hidden_size in config.json", path: path) }
        var embedding: [SourceTensor] = [], head: [SourceTensor] = []
        var layer = Array(repeating: [SourceTensor](), count: layers)
        for info in file.tensors where info.dtype.isFloat {
            if info.name.hasPrefix("encoder.layer.") {
                let parts = info.name.dropFirst("encoder.layer.".count).split(separator: ".", maxSplits: 1)
                guard parts.count == 2, let n = Int(parts[0]), n >= 0, n < layers else {
                    throw .badTensor(name: info.name, reason: "names a layer outside 0..<\(layers) (num_hidden_layers)")
                }
                layer[n].append(try source(file, info, String(parts[1])))
            } else if info.name.hasPrefix("embeddings.") {
                embedding.append(try source(file, info, String(info.name.dropFirst("embeddings.".count))))
            } else if info.name.hasPrefix("pooler.") {
                head.append(try source(file, info, String(info.name.dropFirst("pooler.".count))))
            } else {
                throw .badTensor(name: info.name, reason: "is not an embedding, encoder layer or pooler tensor of a BERT model")
            }
        }
        guard embedding.contains(where: { $0.name == "word_embeddings.weight" }) else {
            throw .missing(what: "tensor embeddings.word_embeddings.weight", path: path)
        }
        for (n, tensors) in layer.enumerated() where tensors.isEmpty {
            throw .missing(what: "the tensors of layer \(n) (encoder.layer.\(n).*)", path: path)
        }
        return [BlockRecipe(role: .embedding, input: [], output: [hidden], tensors: embedding, hasVariants: false)]
            + layer.enumerated().map { BlockRecipe(role: .layer($0), input: [hidden], output: [hidden], tensors: $1, hasVariants: true) }
            + [BlockRecipe(role: .head, input: [hidden], output: [hidden], tensors: head, hasVariants: false)]
    }

    private static func source(_ file: SafetensorsFile, _ info: SafetensorsTensorInfo, _ local: String) throws(DecomposeError) -> SourceTensor {
        let type: GGMLType
        switch info.dtype {
        case .f32: type = .f32
        case .f16: type = .f16
        default: type = .bf16
        }
        return SourceTensor(name: local, type: type, dims: info.shape.reversed(), bytes: file.bytes(of: info)) { () throws(DecomposeError) in
            do { return try file.floats(of: info) } catch { throw .badTensor(name: info.name, reason: "\(error)") }
        }
    }
}
