/// The weights of one BERT layer as `Float` pointers, each checked for shape and type: the names a
/// Hugging Face `BertLayer` uses, local to the layer's block. Read-only while the layer runs, so threads
/// share it.
struct BertLayerWeights: @unchecked Sendable {
    let query, queryBias, key, keyBias, value, valueBias: UnsafePointer<Float>
    let attentionOutput, attentionOutputBias, attentionNormWeight, attentionNormBias: UnsafePointer<Float>
    let intermediate, intermediateBias, output, outputBias, outputNormWeight, outputNormBias: UnsafePointer<Float>
    /// Query, key and value weights stacked into one `[3·hidden, hidden]` matrix, and their biases: a copy
    /// in the pass's scratch arena (1.7 MB for MiniLM, remade per layer and pass, a fraction of a percent
    /// of the pass), so one product computes all three and packs the activations once instead of thrice.
    let queryKeyValue, queryKeyValueBias: UnsafePointer<Float>

    /// Reads every tensor of the layer through `reader` (F32 in place, others dequantised).
    init(reader: inout BertWeightReader, configuration c: BertConfiguration) throws(WeightSourceError) {
        let h = c.hiddenSize, i = c.intermediateSize
        query = try reader.matrix("attention.self.query.weight", rows: h, columns: h)
        queryBias = try reader.vector("attention.self.query.bias", count: h)
        key = try reader.matrix("attention.self.key.weight", rows: h, columns: h)
        keyBias = try reader.vector("attention.self.key.bias", count: h)
        value = try reader.matrix("attention.self.value.weight", rows: h, columns: h)
        valueBias = try reader.vector("attention.self.value.bias", count: h)
        attentionOutput = try reader.matrix("attention.output.dense.weight", rows: h, columns: h)
        attentionOutputBias = try reader.vector("attention.output.dense.bias", count: h)
        attentionNormWeight = try reader.vector("attention.output.LayerNorm.weight", count: h)
        attentionNormBias = try reader.vector("attention.output.LayerNorm.bias", count: h)
        intermediate = try reader.matrix("intermediate.dense.weight", rows: i, columns: h)
        intermediateBias = try reader.vector("intermediate.dense.bias", count: i)
        output = try reader.matrix("output.dense.weight", rows: h, columns: i)
        outputBias = try reader.vector("output.dense.bias", count: h)
        outputNormWeight = try reader.vector("output.LayerNorm.weight", count: h)
        outputNormBias = try reader.vector("output.LayerNorm.bias", count: h)
        let stacked = reader.arena.allocate(3 * h * h), stackedBias = reader.arena.allocate(3 * h)
        for (n, (weight, bias)) in [(query, queryBias), (key, keyBias), (value, valueBias)].enumerated() {
            (stacked + n * h * h).update(from: weight, count: h * h)
            (stackedBias + n * h).update(from: bias, count: h)
        }
        queryKeyValue = UnsafePointer(stacked)
        queryKeyValueBias = UnsafePointer(stackedBias)
    }
}
