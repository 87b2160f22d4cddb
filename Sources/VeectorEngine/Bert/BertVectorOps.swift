import Foundation

/// The element-wise and per-row operations of a BERT layer, fused so each row is read once: bias,
/// bias + erf GELU, bias + residual + LayerNorm, and softmax. Each works in place on rows of a packed
/// row-major `Float` matrix, eight lanes at a time.
enum BertVectorOps {
    /// Adds `bias` (length `width`) to rows `rows` of `x`.
    static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int, bias: UnsafePointer<Float>) {
        for r in rows {
            let row = UnsafeMutableRawPointer(x + r * width)
            var j = 0
            while j + 8 <= width {
                let b = UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                let v = row.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) + b
                row.storeBytes(of: v, toByteOffset: j * 4, as: SIMD8<Float>.self)
                j += 8
            }
            while j < width { x[r * width + j] += bias[j]; j += 1 }
        }
    }

    /// `x = GELU(x + bias)` on rows `rows`, with `GELU(v) = 0.5·v·(1 + erf(v/√2))`: BERT's exact
    /// ("gelu") activation.
    static func addBiasGELU(_ x: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int, bias: UnsafePointer<Float>) {
        let scale: Float = 0.70710678118654752
        for r in rows {
            let base = x + r * width
            let row = UnsafeMutableRawPointer(base)
            var j = 0
            while j + 8 <= width {
                let v = row.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                    + UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                let g = 0.5 * v * (1 + BertErf.erf(v * scale))
                row.storeBytes(of: g, toByteOffset: j * 4, as: SIMD8<Float>.self)
                j += 8
            }
            while j < width {
                let v = base[j] + bias[j]
                base[j] = 0.5 * v * (1 + BertErf.erf(v * scale))
                j += 1
            }
        }
    }

    /// `x = LayerNorm(x + bias + residual)` on rows `rows` (biased variance, as PyTorch), with `gamma`
    /// and `beta`. `bias` and `residual` may be nil.
    static func addAndNormalize(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
                                rows: Range<Int>, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                epsilon: Float) {
        for r in rows {
            let row = x + r * width
            if let bias { for j in 0..<width { row[j] += bias[j] } }
            if let residual {
                let res = residual + r * width
                for j in 0..<width { row[j] += res[j] }
            }
            let raw = UnsafeMutableRawPointer(row)
            var sum = SIMD8<Float>()
            var j = 0
            while j + 8 <= width {
                sum += raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                j += 8
            }
            var total = sum.sum()
            while j < width { total += row[j]; j += 1 }
            let mean = total / Float(width)
            var squares = SIMD8<Float>()
            let meanVector = SIMD8<Float>(repeating: mean)
            j = 0
            while j + 8 <= width {
                let d = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) - meanVector
                squares += d * d
                j += 8
            }
            var squareTotal = squares.sum()
            while j < width { let d = row[j] - mean; squareTotal += d * d; j += 1 }
            let inverse = 1 / (squareTotal / Float(width) + epsilon).squareRoot()
            for k in 0..<width { row[k] = (row[k] - mean) * inverse * gamma[k] + beta[k] }
        }
    }

    /// Softmax of one row of `count` values, in place (max subtracted first, so it never overflows).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count where x[i] > maximum { maximum = x[i] }
        var total: Float = 0
        for i in 0..<count {
            let e = exp(x[i] - maximum)
            x[i] = e
            total += e
        }
        let inverse = 1 / total
        for i in 0..<count { x[i] *= inverse }
    }
}
