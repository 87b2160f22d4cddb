import COpenBLAS
import CVeectorKernels

extension LlamaModel {
    /// Queries per block of the batched attention: a block's scores are one `sgemm` per head, and the part
    /// of its last key block that the causal mask hides (half of a 64 × 64 square) is the only waste.
    static let attentionQueryBlock = 64

    /// Causal grouped-query attention of `n` queries (at `position…`) over the layer's cached keys and
    /// values; each query sees its own position and every earlier one. Batches of at least
    /// `MatrixProduct.sgemmMinimum` queries go by blocks of queries with `sgemm`; fewer, by single query.
    func attend(_ q: UnsafePointer<Float>, layer: Int, count n: Int, position: Int, cache: LlamaKVCache,
                into out: UnsafeMutablePointer<Float>) {
        cache.keys[layer].withUnsafeBufferPointer { keys in
            cache.values[layer].withUnsafeBufferPointer { values in
                if n >= MatrixProduct.sgemmMinimum {
                    attendBlocks(q, keys: keys.baseAddress!, values: values.baseAddress!, count: n,
                                 position: position, into: out)
                } else {
                    attendEach(q, keys: keys.baseAddress!, values: values.baseAddress!, count: n,
                               position: position, into: out)
                }
            }
        }
    }

    /// The batched path: one item per (head, block of queries), claimed by the pool's threads. For a block
    /// of queries `i0..<i1` the item computes the scaled scores against keys `0..<position+i1` with one
    /// `sgemm`, a softmax of each query's visible prefix (the hidden rest set to 0), and the weighted sum of
    /// values with a second `sgemm` written straight into the head's slice of `out`. OpenBLAS runs
    /// single-threaded inside the items; each thread has its own score rows.
    private func attendBlocks(_ q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                              count n: Int, position: Int, into out: UnsafeMutablePointer<Float>) {
        let c = configuration, d = c.embeddingLength, hd = c.headDimension, kvw = c.keyValueWidth
        let group = c.headCount / c.keyValueHeadCount, heads = c.headCount
        let scale = 1 / Float(hd).squareRoot()
        let block = Self.attentionQueryBlock, blocks = (n + block - 1) / block
        let total = position + n
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: pool.threadCount * block * total) { scratch in
            let scratch = scratch.baseAddress!
            // Later blocks see more keys: hand them out first so the last items claimed are the short ones.
            pool.parallelFor(count: heads * blocks, grain: 1) { items in
                let s = scratch + pool.threadIndex * block * total
                for item in items {
                    let b = blocks - 1 - item / heads, h = item % heads
                    let i0 = b * block, i1 = min(n, i0 + block), rows = i1 - i0
                    let width = position + i1, offset = (h / group) * hd
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(width),
                                blasint(hd), scale, q + i0 * d + h * hd, blasint(d), keys + offset, blasint(kvw),
                                0, s, blasint(width))
                    for r in 0..<rows {
                        let row = s + r * width, visible = position + i0 + r + 1
                        vk_softmax_f32(row, Int64(visible))
                        (row + visible).update(repeating: 0, count: width - visible)
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(rows), blasint(hd),
                                blasint(width), 1, s, blasint(width), values + offset, blasint(kvw),
                                0, out + i0 * d + h * hd, blasint(d))
                }
            }
        }
    }

    /// The small-batch path (decoding): one item per (token, head), each writing only its own head of its
    /// own token's output.
    private func attendEach(_ q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                            count n: Int, position: Int, into out: UnsafeMutablePointer<Float>) {
        let c = configuration, d = c.embeddingLength, hd = c.headDimension, kvw = c.keyValueWidth
        let group = c.headCount / c.keyValueHeadCount, heads = c.headCount
        let scale = 1 / Float(hd).squareRoot()
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
                    vk_softmax_f32(s, Int64(length))
                    let o = out + i * d + h * hd
                    o.update(repeating: 0, count: hd)
                    for t in 0..<length { vk_axpy_f32(s[t], values + t * kvw + offset, o, Int64(hd)) }
                }
            }
        }
    }
}
