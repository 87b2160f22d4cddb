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

    /// `gate[i] = silu(gate[i]) · up[i]` for `n` floats (`vk_silu_gate_f32`, SIMD when the CPU has it).
    static func siluGate(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count n: Int) {
        vk_silu_gate_f32(gate, up, Int64(n))
    }

    /// Softmax in place over `n` floats (max subtracted; `vk_softmax_f32`, SIMD when the CPU has it).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        vk_softmax_f32(x, Int64(n))
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
