import CVeectorKernels
import Foundation

/// The element-wise pieces of a llama layer: RMSNorm, rotary position embedding, SiLU gating and
/// softmax, written plainly over raw buffers.
enum LlamaMath {
    /// `out = x / sqrt(mean(x²) + ε) * weight` for `n` vectors of `length` floats.
    static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
                        length: Int, count n: Int, into out: UnsafeMutablePointer<Float>) {
        for c in 0..<n {
            let v = x + c * length, o = out + c * length
            let meanSquare = vk_dot_f32(v, v, Int64(length)) / Float(length)
            let scale = 1 / (meanSquare + epsilon).squareRoot()
            for i in 0..<length { o[i] = v[i] * scale * weight[i] }
        }
    }

    /// Rotates each adjacent pair `(v[2i], v[2i+1])` of every head of `v` by `position · θ_i`, where
    /// `θ_i = base^(−2i/headDimension)` ("normal" RoPE, which llama.cpp's converter arranges Q and K for).
    static func rotate(_ v: UnsafeMutablePointer<Float>, heads: Int, headDimension: Int,
                       cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        for h in 0..<heads {
            let head = v + h * headDimension
            for i in 0..<(headDimension / 2) {
                let a = head[2 * i], b = head[2 * i + 1]
                head[2 * i] = a * cos[i] - b * sin[i]
                head[2 * i + 1] = a * sin[i] + b * cos[i]
            }
        }
    }

    /// The cosines and sines RoPE uses at `position` (headDimension/2 of each).
    static func rotation(position: Int, headDimension: Int, base: Float) -> (cos: [Float], sin: [Float]) {
        let half = headDimension / 2
        var c = [Float](repeating: 0, count: half), s = c
        for i in 0..<half {
            let theta = Double(position) * Foundation.pow(Double(base), -2 * Double(i) / Double(headDimension))
            c[i] = Float(Foundation.cos(theta))
            s[i] = Float(Foundation.sin(theta))
        }
        return (c, s)
    }

    /// `gate[i] = silu(gate[i]) · up[i]` for `n` floats.
    static func siluGate(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count n: Int) {
        for i in 0..<n {
            let g = gate[i]
            gate[i] = g / (1 + Foundation.exp(-g)) * up[i]
        }
    }

    /// Softmax in place over `n` floats (max subtracted).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        var m = -Float.infinity
        for i in 0..<n where x[i] > m { m = x[i] }
        var total: Float = 0
        for i in 0..<n {
            let e = Foundation.exp(x[i] - m)
            x[i] = e
            total += e
        }
        let inverse = 1 / total
        for i in 0..<n { x[i] *= inverse }
    }

    /// The natural logarithms of the softmax of `logits` (log-sum-exp in Double).
    static func logSoftmax(_ logits: [Float]) -> [Double] {
        let m = Double(logits.max() ?? 0)
        var total = 0.0
        for l in logits { total += Foundation.exp(Double(l) - m) }
        let logTotal = m + Foundation.log(total)
        return logits.map { Double($0) - logTotal }
    }
}
