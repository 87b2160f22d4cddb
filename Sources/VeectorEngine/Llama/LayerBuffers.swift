/// The activations of one batch of `count` tokens on its way through the layers, allocated once per
/// forward pass and reused by every layer (fresh multi-megabyte arrays per layer cost page faults), with
/// the rotary table for the batch's positions.
struct LayerBuffers {
    /// Tokens in the batch.
    let count: Int
    /// The normed hidden states (attention input, then feed-forward input): count × embedding.
    var normed: [Float]
    /// Queries: count × embedding.
    var query: [Float]
    /// Attention outputs: count × embedding.
    var attended: [Float]
    /// Keys and values: count × key/value width each.
    var key: [Float], value: [Float]
    /// Gate and up projections: count × feed-forward width each.
    var gate: [Float], up: [Float]
    /// Cosines and sines for the batch's positions.
    let rotary: RotaryTable

    /// Buffers for `count` tokens at positions `position…` of a model shaped like `c`.
    init(count: Int, position: Int, configuration c: LlamaConfiguration) {
        self.count = count
        let d = count * c.embeddingLength, kv = count * c.keyValueWidth, f = count * c.feedForwardLength
        normed = [Float](repeating: 0, count: d)
        query = normed
        attended = normed
        key = [Float](repeating: 0, count: kv)
        value = key
        gate = [Float](repeating: 0, count: f)
        up = gate
        rotary = RotaryTable(positions: position..<(position + count), headDimension: c.headDimension,
                             base: c.ropeFrequencyBase)
    }
}
