import CVeectorKernels

/// The element-wise and per-row operations of a BERT layer, fused so each row is read once: the
/// erf GELU, bias + residual + LayerNorm, and softmax. Each works in place on rows of a packed
/// row-major `Float` matrix, through the C kernels of `veector_bert_kernels.h` (AVX2 + FMA chosen at run time).
enum BertVectorOps {
    /// `x = GELU(x)` on rows `rows`, with `GELU(v) = 0.5·v·(1 + erf(v/√2))`: BERT's exact ("gelu")
    /// activation (the bias is already in `x`, folded into the product). AVX2 + FMA when the CPU has them.
    static func gelu(_ x: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int) {
        vk_bert_gelu_f32(x + rows.lowerBound * width, Int64(rows.count * width))
    }

    /// `x = LayerNorm(x + bias + residual)` on rows `rows` (biased variance, as PyTorch), with `gamma`
    /// and `beta`. `bias` and `residual` may be nil.
    static func addAndNormalize(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
                                rows: Range<Int>, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                epsilon: Float) {
        if let bias {
            for r in rows {
                let row = x + r * width
                for j in 0..<width { row[j] += bias[j] }
            }
        }
        let offset = rows.lowerBound * width
        vk_bert_add_layernorm_f32(x + offset, residual.map { $0 + offset }, Int64(rows.count), Int64(width), Int64(width),
                                  gamma, beta, epsilon)
    }

    /// Softmax of one row of `count` values, in place (max subtracted first, so it never overflows).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        _ = vk_softmax_f32(x, Int64(count))
    }
}
