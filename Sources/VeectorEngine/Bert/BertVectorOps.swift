import Foundation

/// The element-wise and per-row operations of a BERT layer: bias, residual + LayerNorm, the erf GELU,
/// and softmax. Each works on rows of a packed row-major `Float` matrix, in place.
enum BertVectorOps {
    /// Adds `bias` (length `width`) to each of `rows` rows of `x`.
    static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * width
            for j in 0..<width { row[j] += bias[j] }
        }
    }

    /// `x = LayerNorm(x + residual)` row by row (biased variance, as PyTorch), with `gamma` and `beta`.
    static func addAndNormalize(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?,
                                rows: Int, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                epsilon: Float) {
        for r in 0..<rows {
            let row = x + r * width
            if let residual {
                let res = residual + r * width
                for j in 0..<width { row[j] += res[j] }
            }
            var sum = SIMD8<Float>()
            var j = 0
            let raw = UnsafeRawPointer(row)
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

    /// `x = 0.5·x·(1 + erf(x/√2))` over `count` values: BERT's exact ("gelu") activation.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let scale: Float = 0.70710678118654752
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + erf(v * scale))
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
