import CVeectorKernels
import Foundation

extension LlamaModel {
    /// Runs `n` hidden states (back to back in `x`, at positions `position…`) through `layers`, writing
    /// those layers' keys and values into `cache`. Prefetches the next block before computing each one.
    func runLayers(_ x: inout [Float], count n: Int, position: Int, layers: Range<Int>,
                   cache: inout LlamaKVCache, product: inout MatrixProduct) throws(LlamaError) {
        for layer in layers {
            source.prefetch(layer + 1 < configuration.layerCount ? .layer(layer + 1) : .head)
            let block: WeightBlock
            do { block = try source.block(.layer(layer)) } catch { throw .weights(error) }
            let weights = try LlamaLayerWeights(block, configuration: configuration)
            try runLayer(layer, weights, &x, count: n, position: position,
                         cache: &cache, product: &product)
        }
    }

    /// Computes the keys and values of hidden states that left the model early (at `exitLayer`) for
    /// the deeper `layers`, from those same hidden states, so later tokens still find every position in
    /// every layer's cache (CALM's state propagation). Costs one norm and the K/V projections per layer.
    func propagateKeyValues(_ x: [Float], count n: Int, position: Int, layers: Range<Int>,
                            cache: inout LlamaKVCache, product: inout MatrixProduct) throws(LlamaError) {
        let c = configuration, d = c.embeddingLength, kvw = c.keyValueWidth
        var normed = [Float](repeating: 0, count: n * d)
        var k = [Float](repeating: 0, count: n * kvw), v = k
        for layer in layers {
            source.prefetch(layer + 1 < c.layerCount ? .layer(layer + 1) : .head)
            let block: WeightBlock
            do { block = try source.block(.layer(layer)) } catch { throw .weights(error) }
            let w = try LlamaLayerWeights(block, configuration: c)
            try attentionInputs(w, x, count: n, position: position, normed: &normed, query: nil,
                                key: &k, value: &v, product: &product)
            let ok = k.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    cache.write(layer: layer, position: position, n: n, keys: k.baseAddress!, values: v.baseAddress!)
                }
            }
            guard ok else { throw .contextFull(contextWindow: cache.capacity) }
        }
    }

    /// Normalises `x` with the layer's attention norm and projects it to keys and values (and queries
    /// when asked), rotating keys and queries to their positions.
    private func attentionInputs(_ w: LlamaLayerWeights, _ x: [Float], count n: Int, position: Int,
                                 normed: inout [Float], query: UnsafeMutablePointer<Float>?,
                                 key: inout [Float], value: inout [Float],
                                 product: inout MatrixProduct) throws(LlamaError) {
        let c = configuration, d = c.embeddingLength
        x.withUnsafeBufferPointer { x in
            normed.withUnsafeMutableBufferPointer { out in
                LlamaMath.rmsNorm(x.baseAddress!, weight: w.attentionNorm.floats, epsilon: c.rmsNormEpsilon,
                                  length: d, count: n, into: out.baseAddress!)
            }
        }
        try normed.withUnsafeBufferPointer { (h) throws(LlamaError) in
            try key.withUnsafeMutableBufferPointer { (k) throws(LlamaError) in
                try value.withUnsafeMutableBufferPointer { (v) throws(LlamaError) in
                    // One dispatch for the projections that read the same normed input.
                    var products = [(weight: w.key, y: k.baseAddress!), (weight: w.value, y: v.baseAddress!)]
                    if let query { products.insert((weight: w.query, y: query), at: 0) }
                    try product.multiply(products, h.baseAddress!, columns: n)
                }
            }
        }
        for i in 0..<n {
            let (cosines, sines) = LlamaMath.rotation(position: position + i, headDimension: c.headDimension,
                                                      base: c.ropeFrequencyBase)
            key.withUnsafeMutableBufferPointer { k in
                LlamaMath.rotate(k.baseAddress! + i * c.keyValueWidth, heads: c.keyValueHeadCount,
                                 headDimension: c.headDimension, cos: cosines, sin: sines)
            }
            if let query {
                LlamaMath.rotate(query + i * d, heads: c.headCount, headDimension: c.headDimension,
                                 cos: cosines, sin: sines)
            }
        }
    }

    /// One transformer layer over `n` hidden states: pre-norm grouped-query attention with RoPE, then
    /// a pre-norm SwiGLU feed-forward, each added to the residual stream.
    private func runLayer(_ layer: Int, _ w: LlamaLayerWeights, _ x: inout [Float], count n: Int, position: Int,
                          cache: inout LlamaKVCache,
                          product: inout MatrixProduct) throws(LlamaError) {
        let c = configuration, d = c.embeddingLength, kvw = c.keyValueWidth, f = c.feedForwardLength
        var normed = [Float](repeating: 0, count: n * d)
        var q = [Float](repeating: 0, count: n * d)
        var k = [Float](repeating: 0, count: n * kvw), v = k
        try q.withUnsafeMutableBufferPointer { (q) throws(LlamaError) in
            try attentionInputs(w, x, count: n, position: position, normed: &normed, query: q.baseAddress!,
                                key: &k, value: &v, product: &product)
        }
        let stored = k.withUnsafeBufferPointer { k in
            v.withUnsafeBufferPointer { v in
                cache.write(layer: layer, position: position, n: n, keys: k.baseAddress!, values: v.baseAddress!)
            }
        }
        guard stored else { throw .contextFull(contextWindow: cache.capacity) }

        var attended = [Float](repeating: 0, count: n * d)
        attend(q, layer: layer, count: n, position: position, cache: cache, into: &attended)
        try residual(&x, w.output, attended, count: n, product: &product)

        x.withUnsafeBufferPointer { x in
            normed.withUnsafeMutableBufferPointer { out in
                LlamaMath.rmsNorm(x.baseAddress!, weight: w.feedForwardNorm.floats, epsilon: c.rmsNormEpsilon,
                                  length: d, count: n, into: out.baseAddress!)
            }
        }
        var gate = [Float](repeating: 0, count: n * f), up = gate
        try normed.withUnsafeBufferPointer { (h) throws(LlamaError) in
            try gate.withUnsafeMutableBufferPointer { (g) throws(LlamaError) in
                try up.withUnsafeMutableBufferPointer { (u) throws(LlamaError) in
                    try product.multiply([(weight: w.gate, y: g.baseAddress!), (weight: w.up, y: u.baseAddress!)],
                                         h.baseAddress!, columns: n)
                }
            }
        }
        gate.withUnsafeMutableBufferPointer { g in
            up.withUnsafeBufferPointer { u in LlamaMath.siluGate(g.baseAddress!, up: u.baseAddress!, count: n * f) }
        }
        try residual(&x, w.down, gate, count: n, product: &product)
    }

    /// `x += W · input` for `n` columns.
    private func residual(_ x: inout [Float], _ weight: Tensor, _ input: [Float], count n: Int,
                          product: inout MatrixProduct) throws(LlamaError) {
        var delta = [Float](repeating: 0, count: n * weight.rowCount)
        try input.withUnsafeBufferPointer { (input) throws(LlamaError) in
            try delta.withUnsafeMutableBufferPointer { (out) throws(LlamaError) in
                try product.multiply(weight, input.baseAddress!, columns: n, into: out.baseAddress!)
            }
        }
        x.withUnsafeMutableBufferPointer { x in
            delta.withUnsafeBufferPointer { delta in
                vk_axpy_f32(1, delta.baseAddress!, x.baseAddress!, Int64(delta.count))
            }
        }
    }

    /// Causal grouped-query attention of `n` queries (at `position…`) over the layer's cached keys and
    /// values; each query sees its own position and every earlier one.
    private func attend(_ q: [Float], layer: Int, count n: Int, position: Int, cache: LlamaKVCache,
                        into out: inout [Float]) {
        let c = configuration, d = c.embeddingLength, hd = c.headDimension, kvw = c.keyValueWidth
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(hd).squareRoot()
        let heads = c.headCount
        cache.keys[layer].withUnsafeBufferPointer { keys in
            cache.values[layer].withUnsafeBufferPointer { values in
                q.withUnsafeBufferPointer { q in
                    out.withUnsafeMutableBufferPointer { out in
                        let (keys, values, q, out) = (keys.baseAddress!, values.baseAddress!, q.baseAddress!, out.baseAddress!)
                        // One item per (token, head): each writes only its own head of its own token's output.
                        let grain = max(1, (1 << 15) / ((position + n) * hd * 2))
                        pool.parallelFor(count: n * heads, grain: grain) { items in
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: position + n) { scores in
                                let s = scores.baseAddress!
                                for item in items {
                                    let i = item / heads, h = item % heads
                                    let length = position + i + 1
                                    let query = q + i * d + h * hd, offset = (h / group) * hd
                                    for t in 0..<length {
                                        s[t] = vk_dot_f32(query, keys + t * kvw + offset, Int64(hd)) * scale
                                    }
                                    LlamaMath.softmax(s, count: length)
                                    let o = out + i * d + h * hd
                                    o.update(repeating: 0, count: hd)
                                    for t in 0..<length { vk_axpy_f32(s[t], values + t * kvw + offset, o, Int64(hd)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// The elements of an F32 tensor (checked by `LlamaLayerWeights.vector`).
    var floats: UnsafePointer<Float> { bytes.baseAddress!.assumingMemoryBound(to: Float.self) }
}
