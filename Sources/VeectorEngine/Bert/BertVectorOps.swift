import Foundation

/// The element-wise and per-row operations of a BERT layer, fused so each row is read once: the
/// erf GELU, bias + residual + LayerNorm, and softmax. Each works in place on rows of a packed
/// row-major `Float` matrix, eight lanes at a time.
enum BertVectorOps {
    /// `x = GELU(x)` on rows `rows`, with `GELU(v) = 0.5·v·(1 + erf(v/√2))`: BERT's exact ("gelu")
    /// activation (the bias is already in `x`, folded into the product).
    static func gelu(_ x: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int) {
        let scale: Float = 0.70710678118654752
        let start = rows.lowerBound * width, end = rows.upperBound * width
        let raw = UnsafeMutableRawPointer(x)
        var j = start
        while j + 8 <= end {
            let v = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            raw.storeBytes(of: 0.5 * v * (1 + BertErf.erf(v * scale)), toByteOffset: j * 4, as: SIMD8<Float>.self)
            j += 8
        }
        while j < end {
            let v = x[j]
            x[j] = 0.5 * v * (1 + BertErf.erf(v * scale))
            j += 1
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
