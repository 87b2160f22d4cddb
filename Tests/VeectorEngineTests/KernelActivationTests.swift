import CVeectorKernels
import Foundation
import Testing

extension KernelSuite {
    /// The SIMD SwiGLU gate and softmax (polynomial exp) against the expf-based scalar references, over
    /// inputs from -100 to 100 (where exp under- and overflows) and lengths that leave a scalar tail. Part of
    /// the serialized `KernelSuite` because `vk_force_scalar` is process-wide.
    @Suite struct KernelActivationTests {
        /// Seeded values spread over [-scale, scale], with the extremes included.
        static func values(_ n: Int, scale: Float, seed: UInt64) -> [Float] {
            var state = seed
            var v = (0..<n).map { _ -> Float in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
            }
            if n >= 2 { v[0] = scale; v[n - 1] = -scale }
            return v
        }

        @Test(arguments: [1, 7, 8, 33, 1000])
        func siluGateMatchesReference(n: Int) {
            vk_force_scalar(0)
            for scale: Float in [1, 10, 100] {
                let gate = Self.values(n, scale: scale, seed: 1), up = Self.values(n, scale: 3, seed: 2)
                var fast = gate, reference = gate
                vk_silu_gate_f32(&fast, up, Int64(n))
                vk_reference_silu_gate_f32(&reference, up, Int64(n))
                for i in 0..<n {
                    let tolerance = 4e-7 * max(1, abs(reference[i]))
                    #expect(abs(fast[i] - reference[i]) <= tolerance,
                            "silu gate at \(i): g \(gate[i]) u \(up[i]): \(fast[i]) vs \(reference[i])")
                }
            }
        }

        @Test(arguments: [1, 5, 8, 64, 513])
        func softmaxMatchesReference(n: Int) {
            vk_force_scalar(0)
            for scale: Float in [1, 20, 100] {
                let x = Self.values(n, scale: scale, seed: UInt64(n))
                var fast = x, reference = x
                let fastTotal = vk_softmax_f32(&fast, Int64(n))
                let referenceTotal = vk_reference_softmax_f32(&reference, Int64(n))
                #expect(abs(fastTotal - referenceTotal) <= 1e-6 * referenceTotal)
                var sum: Float = 0
                for i in 0..<n {
                    sum += fast[i]
                    #expect(abs(fast[i] - reference[i]) <= 1e-6 * max(reference[i], 1e-30) + 1e-37,
                            "softmax at \(i) of \(n): x \(x[i]): \(fast[i]) vs \(reference[i])")
                }
                #expect(abs(sum - 1) < 1e-5)
            }
        }

        /// Rows the causal mask hides entirely never reach the kernel, but a one-element row must give 1.
        @Test func softmaxOfOneIsOne() {
            var x: [Float] = [-3.5]
            #expect(vk_softmax_f32(&x, 1) == 1 && x[0] == 1)
            #expect(vk_softmax_f32(&x, 0) == 0)
        }

        /// The forced-scalar dispatch uses the reference exactly.
        @Test func scalarDispatchIsTheReference() {
            vk_force_scalar(1)
            defer { vk_force_scalar(0) }
            let gate = Self.values(100, scale: 30, seed: 9), up = Self.values(100, scale: 2, seed: 10)
            var a = gate, b = gate
            vk_silu_gate_f32(&a, up, 100)
            vk_reference_silu_gate_f32(&b, up, 100)
            #expect(a == b)
        }
    }
}
