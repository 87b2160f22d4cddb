/// The tensors of one llama layer, checked against the configuration before any arithmetic touches
/// them, so a wrong-shaped block fails with its name rather than reading past a buffer.
struct LlamaLayerWeights {
    let attentionNorm: Tensor
    let query: Tensor
    let key: Tensor
    let value: Tensor
    let output: Tensor
    let feedForwardNorm: Tensor
    let gate: Tensor
    let up: Tensor
    let down: Tensor

    init(_ block: WeightBlock, configuration c: LlamaConfiguration) throws(LlamaError) {
        let d = c.embeddingLength, kv = c.keyValueWidth, f = c.feedForwardLength
        attentionNorm = try Self.vector(block, "attn_norm.weight", length: d)
        query = try Self.matrix(block, "attn_q.weight", rowLength: d, rows: d)
        key = try Self.matrix(block, "attn_k.weight", rowLength: d, rows: kv)
        value = try Self.matrix(block, "attn_v.weight", rowLength: d, rows: kv)
        output = try Self.matrix(block, "attn_output.weight", rowLength: d, rows: d)
        feedForwardNorm = try Self.vector(block, "ffn_norm.weight", length: d)
        gate = try Self.matrix(block, "ffn_gate.weight", rowLength: d, rows: f)
        up = try Self.matrix(block, "ffn_up.weight", rowLength: d, rows: f)
        down = try Self.matrix(block, "ffn_down.weight", rowLength: f, rows: d)
    }

    /// A matrix of `rows` rows of `rowLength` elements.
    static func matrix(_ block: WeightBlock, _ name: String, rowLength: Int, rows: Int) throws(LlamaError) -> Tensor {
        let t: Tensor
        do { t = try block.tensor(name) } catch { throw .weights(error) }
        guard t.dimensions.count == 2, t.rowLength == rowLength, t.rowCount == rows else {
            throw .weights(.unexpectedTensor(block: block.role, name: name,
                reason: "dimensions \(t.dimensions), expected [\(rowLength), \(rows)]"))
        }
        try checkSize(t, block: block)
        return t
    }

    /// An F32 vector of `length` elements (a norm's weights).
    static func vector(_ block: WeightBlock, _ name: String, length: Int) throws(LlamaError) -> Tensor {
        let t: Tensor
        do { t = try block.tensor(name) } catch { throw .weights(error) }
        guard t.type == .f32, t.elementCount == length else {
            throw .weights(.unexpectedTensor(block: block.role, name: name,
                reason: "\(t.type) \(t.dimensions), expected F32 [\(length)]"))
        }
        try checkSize(t, block: block)
        return t
    }

    /// The stored bytes must cover every row the type and dimensions imply.
    static func checkSize(_ t: Tensor, block: WeightBlock) throws(LlamaError) {
        guard let layout = t.type.layout, t.rowLength % layout.elementsPerBlock == 0 else {
            throw .weights(.unexpectedTensor(block: block.role, name: t.name,
                reason: "type \(t.type) with rows of \(t.rowLength) cannot be read; expected F32, F16, BF16, Q4_0, Q4_1 or Q8_0"))
        }
        let needed = t.elementCount / layout.elementsPerBlock * layout.bytesPerBlock
        guard t.bytes.count >= needed, t.bytes.baseAddress != nil || needed == 0 else {
            throw .weights(.unexpectedTensor(block: block.role, name: t.name,
                reason: "holds \(t.bytes.count) bytes, needs \(needed)"))
        }
    }
}
