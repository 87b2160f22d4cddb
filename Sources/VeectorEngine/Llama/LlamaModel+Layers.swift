import CVeectorKernels
import Foundation

extension LlamaModel {
    /// Runs `n` hidden states (back to back in `x`, at positions `position…`) through `layers`, writing
    /// those layers' keys and values into `cache`. Prefetches the next block before computing each one.
    func runLayers(_ x: inout [Float], count n: Int, position: Int, layers: Range<Int>,
                   cache: inout LlamaKVCache, product: inout MatrixProduct) throws(LlamaError) {
        var buffers = LayerBuffers(count: n, position: position, configuration: configuration)
        for layer in layers {
            source.prefetch(layer + 1 < configuration.layerCount ? .layer(layer + 1) : .head)
            let block: WeightBlock
            do { block = try source.block(.layer(layer)) } catch { throw .weights(error) }
            let weights = try LlamaLayerWeights(block, configuration: configuration)
            try runLayer(layer, weights, &x, position: position, buffers: &buffers, cache: &cache, product: &product)
        }
    }

    /// Computes the keys and values of hidden states that left the model early (at `exitLayer`) for
    /// the deeper `layers`, from those same hidden states, so later tokens still find every position in
    /// every layer's cache (CALM's state propagation). Costs one norm and the K/V projections per layer.
    func propagateKeyValues(_ x: [Float], count n: Int, position: Int, layers: Range<Int>,
                            cache: inout LlamaKVCache, product: inout MatrixProduct) throws(LlamaError) {
        let c = configuration
        var buffers = LayerBuffers(count: n, position: position, configuration: c)
        for layer in layers {
            source.prefetch(layer + 1 < c.layerCount ? .layer(layer + 1) : .head)
            let block: WeightBlock
            do { block = try source.block(.layer(layer)) } catch { throw .weights(error) }
            let w = try LlamaLayerWeights(block, configuration: c)
            try attentionInputs(w, x, position: position, withQuery: false, buffers: &buffers, product: &product)
            let ok = buffers.key.withUnsafeBufferPointer { k in
                buffers.value.withUnsafeBufferPointer { v in
                    cache.write(layer: layer, position: position, n: n, keys: k.baseAddress!, values: v.baseAddress!)
                }
            }
            guard ok else { throw .contextFull(contextWindow: cache.capacity) }
        }
    }

    /// Normalises `x` with the layer's attention norm into `buffers.normed` and projects it to keys and
    /// values (and queries when `withQuery`), rotating keys and queries to their positions.
    private func attentionInputs(_ w: LlamaLayerWeights, _ x: [Float], position: Int, withQuery: Bool,
                                 buffers: inout LayerBuffers, product: inout MatrixProduct) throws(LlamaError) {
        let c = configuration, d = c.embeddingLength, kvw = c.keyValueWidth, n = buffers.count
        x.withUnsafeBufferPointer { x in
            buffers.normed.withUnsafeMutableBufferPointer { out in
                rmsNorm(x.baseAddress!, weight: w.attentionNorm.floats, count: n, into: out.baseAddress!)
            }
        }
        let rotary = buffers.rotary
        try buffers.normed.withUnsafeBufferPointer { (h) throws(LlamaError) in
            try buffers.query.withUnsafeMutableBufferPointer { (q) throws(LlamaError) in
                try buffers.key.withUnsafeMutableBufferPointer { (k) throws(LlamaError) in
                    try buffers.value.withUnsafeMutableBufferPointer { (v) throws(LlamaError) in
                        let (q, k) = (q.baseAddress!, k.baseAddress!)
                        // One dispatch for the projections that read the same normed input.
                        var products = [(weight: w.key, y: k), (weight: w.value, y: v.baseAddress!)]
                        if withQuery { products.insert((weight: w.query, y: q), at: 0) }
                        try product.multiply(products, h.baseAddress!, columns: n)
                        pool.parallelFor(count: n, grain: 16) { tokens in
                            for i in tokens {
                                rotary.rotate(k + i * kvw, heads: c.keyValueHeadCount, position: position + i)
                                if withQuery { rotary.rotate(q + i * d, heads: c.headCount, position: position + i) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One transformer layer over the batch: pre-norm grouped-query attention with RoPE, then a pre-norm
    /// SwiGLU feed-forward, each added to the residual stream `x`.
    private func runLayer(_ layer: Int, _ w: LlamaLayerWeights, _ x: inout [Float], position: Int,
                          buffers: inout LayerBuffers, cache: inout LlamaKVCache,
                          product: inout MatrixProduct) throws(LlamaError) {
        let c = configuration, n = buffers.count, f = c.feedForwardLength
        try attentionInputs(w, x, position: position, withQuery: true, buffers: &buffers, product: &product)
        let stored = buffers.key.withUnsafeBufferPointer { k in
            buffers.value.withUnsafeBufferPointer { v in
                cache.write(layer: layer, position: position, n: n, keys: k.baseAddress!, values: v.baseAddress!)
            }
        }
        guard stored else { throw .contextFull(contextWindow: cache.capacity) }

        buffers.query.withUnsafeBufferPointer { q in
            buffers.attended.withUnsafeMutableBufferPointer { out in
                attend(q.baseAddress!, layer: layer, count: n, position: position, cache: cache, into: out.baseAddress!)
            }
        }
        try residual(&x, w.output, buffers.attended, count: n, product: &product)

        x.withUnsafeBufferPointer { x in
            buffers.normed.withUnsafeMutableBufferPointer { out in
                rmsNorm(x.baseAddress!, weight: w.feedForwardNorm.floats, count: n, into: out.baseAddress!)
            }
        }
        try buffers.normed.withUnsafeBufferPointer { (h) throws(LlamaError) in
            try buffers.gate.withUnsafeMutableBufferPointer { (g) throws(LlamaError) in
                try buffers.up.withUnsafeMutableBufferPointer { (u) throws(LlamaError) in
                    let (g, u) = (g.baseAddress!, u.baseAddress!)
                    try product.multiply([(weight: w.gate, y: g), (weight: w.up, y: u)], h.baseAddress!, columns: n)
                    pool.parallelFor(count: n * f, grain: 1 << 14) { r in
                        LlamaMath.siluGate(g + r.lowerBound, up: u + r.lowerBound, count: r.count)
                    }
                }
            }
        }
        try residual(&x, w.down, buffers.gate, count: n, product: &product)
    }

    /// RMSNorm of `n` hidden states with the model's epsilon, tokens split across the pool.
    private func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, count n: Int,
                         into out: UnsafeMutablePointer<Float>) {
        let d = configuration.embeddingLength, epsilon = configuration.rmsNormEpsilon
        pool.parallelFor(count: n, grain: 32) { r in
            LlamaMath.rmsNorm(x + r.lowerBound * d, weight: weight, epsilon: epsilon, length: d, count: r.count,
                              into: out + r.lowerBound * d)
        }
    }

    /// `x += W · input` for `n` columns.
    private func residual(_ x: inout [Float], _ weight: Tensor, _ input: [Float], count n: Int,
                          product: inout MatrixProduct) throws(LlamaError) {
        try input.withUnsafeBufferPointer { (input) throws(LlamaError) in
            try x.withUnsafeMutableBufferPointer { (x) throws(LlamaError) in
                try product.multiplyAdding(weight, input.baseAddress!, columns: n, into: x.baseAddress!)
            }
        }
    }
}

extension Tensor {
    /// The elements of an F32 tensor (checked by `LlamaLayerWeights.vector`).
    var floats: UnsafePointer<Float> { bytes.baseAddress!.assumingMemoryBound(to: Float.self) }
}
