import CVeectorKernels
import CVeectorSupport
import Testing
import VeectorEngine
import VeectorTestSupport

/// The SIMD kernel set against the scalar reference (`vk_reference_matmul`) on seeded random data, for
/// every type × precision × ncols ∈ {1, 3, 8} × odd row ranges. Serialized: `vk_force_scalar` is global.
///
/// Tolerance: |simd − reference| ≤ tol · Σ_k |w_k · x_k| (the sum of absolute products bounds how much
/// reordered f32 summation can move a dot product). tol = 1e-5 for VK_EXACT and 1e-4 for VK_FAST.
@Suite(.serialized) struct KernelTests {
    static let precisions: [vk_precision] = [VK_EXACT, VK_FAST]

    @Test func simdSetIsActiveWhereTheCPUHasIt() {
        vk_force_scalar(0)
        var features = veector_cpu_features()
        veector_cpu_features_read(&features)
        let capable = features.avx2 != 0 && features.fma != 0 && features.f16c != 0 && features.os_saves_avx != 0
        #expect(Kernels.name == (capable ? "avx2+fma+f16c" : "scalar"))
        vk_force_scalar(1)
        #expect(Kernels.name == "scalar")
        vk_force_scalar(0)
    }

    @Test func blockLayoutsMatchC() {
        #expect(MemoryLayout<vk_block_q8>.size == 40)
        #expect(MemoryLayout<vk_block_q8>.offset(of: \.qs) == 8)
        #expect(Int(vk_block_bytes(VK_Q4_0)) == MemoryLayout<BlockQ4_0>.size)
        #expect(Int(vk_block_bytes(VK_Q4_1)) == MemoryLayout<BlockQ4_1>.size)
        #expect(Int(vk_block_bytes(VK_Q8_0)) == MemoryLayout<BlockQ8_0>.size)
        #expect(vk_block_bytes(VK_F32) == 4 && vk_block_bytes(VK_F16) == 2 && vk_block_bytes(VK_BF16) == 2)
        #expect(vk_block_elements(VK_Q4_1) == 32 && vk_block_elements(VK_F16) == 1)
        #expect(vk_block_bytes(vk_type(rawValue: 6)) == 0 && vk_block_elements(vk_type(rawValue: 6)) == 0)
    }

    /// Quantisation must be bit-identical (roundf's ties away from zero included), because FAST products
    /// on different kernel sets must see the same 8-bit activations.
    @Test func quantizeMatchesScalarExactly() {
        var rng = SplitMix64(seed: 11)
        var x = KernelTestData.floats(1536 * 3, &rng).map { $0 * 4 }
        for i in stride(from: 0, to: 96, by: 1) { x[i] = Float(i % 7) - 3 + 0.5 } // ties: 127 · v / amax
        for i in 96..<128 { x[i] = 0 }                                          // a zero block: d = 0
        var simd = [vk_block_q8](repeating: vk_block_q8(), count: x.count / 32)
        var scalar = simd
        vk_quantize_row_q8(x, &simd, Int64(x.count))
        vk_force_scalar(1)
        vk_quantize_row_q8(x, &scalar, Int64(x.count))
        vk_force_scalar(0)
        let same = simd.withUnsafeBytes { a in scalar.withUnsafeBytes { b in a.elementsEqual(b) } }
        #expect(same)
        #expect(simd[3].d == 0 && simd[3].s == 0)
    }

    /// Σ_k |w_k x_k| for each (column, row), from dequantised weights, in Double.
    func absoluteScale(_ type: vk_type, _ w: [UInt8], rowLength: Int, rows: Range<Int>, x: [Float], ncols: Int) -> [Double] {
        var deq = [Float](repeating: 0, count: rows.count * rowLength)
        #expect(vk_dequantize_rows(type, w, Int64(rowLength), Int64(rows.lowerBound), Int64(rows.upperBound), &deq) == 0)
        var scale: [Double] = []
        for c in 0..<ncols {
            for r in 0..<rows.count {
                var s = 0.0
                for k in 0..<rowLength { s += abs(Double(deq[r * rowLength + k]) * Double(x[c * rowLength + k])) }
                scale.append(s)
            }
        }
        return scale
    }

    @Test(arguments: KernelTestData.types, KernelTests.precisions)
    func matmulMatchesReference(type: vk_type, precision: vk_precision) {
        var rng = SplitMix64(seed: UInt64(type.rawValue) &* 1000 &+ UInt64(precision.rawValue))
        let rowLengths = KernelTestData.isQuantised(type) ? [32, 576, 1536] : [7, 67, 576]
        let rowCount = 37
        let tolerance = precision == VK_FAST && KernelTestData.isQuantised(type) ? 1e-4 : 1e-5
        for rowLength in rowLengths {
            let w = KernelTestData.weights(type, rows: rowCount, rowLength: rowLength, &rng)
            for ncols in [1, 3, 8] {
                let x = KernelTestData.floats(ncols * rowLength, &rng)
                var xq = [vk_block_q8](repeating: vk_block_q8(), count: max(1, ncols * rowLength / 32))
                if rowLength % 32 == 0 { vk_quantize_row_q8(x, &xq, Int64(ncols * rowLength)) }
                for rows in [0..<rowCount, 3..<20, 5..<6, 36..<37] {
                    let stride = rowCount + 2
                    var simd = [Float](repeating: .nan, count: ncols * stride)
                    var reference = simd
                    #expect(vk_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &simd, Int64(stride),
                                      Int64(rows.lowerBound), Int64(rows.upperBound), precision) == 0)
                    #expect(vk_reference_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &reference, Int64(stride),
                                                Int64(rows.lowerBound), Int64(rows.upperBound), precision) == 0)
                    let scale = absoluteScale(type, w, rowLength: rowLength, rows: rows, x: x, ncols: ncols)
                    var worst = 0.0
                    for c in 0..<ncols {
                        for r in 0..<stride {
                            let a = simd[c * stride + r], b = reference[c * stride + r]
                            guard rows.contains(r) else {
                                #expect(a.isNaN, "row \(r) outside \(rows) was written")
                                continue
                            }
                            let s = scale[c * rows.count + (r - rows.lowerBound)]
                            worst = max(worst, abs(Double(a) - Double(b)) / max(s, 1e-30))
                        }
                    }
                    #expect(worst <= tolerance, "type \(type.rawValue) precision \(precision.rawValue) rowLength \(rowLength) ncols \(ncols) rows \(rows): relative error \(worst)")
                }
            }
        }
    }

    /// With vk_force_scalar(1), vk_matmul is the reference, bit for bit.
    @Test(arguments: KernelTestData.types)
    func forcedScalarIsTheReference(type: vk_type) {
        var rng = SplitMix64(seed: 77 + UInt64(type.rawValue))
        let rowLength = 576, rows = 9, ncols = 3
        let w = KernelTestData.weights(type, rows: rows, rowLength: rowLength, &rng)
        let x = KernelTestData.floats(ncols * rowLength, &rng)
        var xq = [vk_block_q8](repeating: vk_block_q8(), count: ncols * rowLength / 32)
        vk_quantize_row_q8(x, &xq, Int64(ncols * rowLength))
        for precision in Self.precisions {
            var forced = [Float](repeating: 0, count: ncols * rows)
            var reference = forced
            vk_force_scalar(1)
            _ = vk_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &forced, Int64(rows), 1, Int64(rows), precision)
            vk_force_scalar(0)
            _ = vk_reference_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &reference, Int64(rows), 1, Int64(rows), precision)
            #expect(forced == reference)
        }
    }

    /// Dequantisation is bit-identical across kernel sets (a multiply then an add, never fused).
    @Test(arguments: KernelTestData.types)
    func dequantizeMatchesScalarExactly(type: vk_type) {
        var rng = SplitMix64(seed: 5 + UInt64(type.rawValue))
        let rowLength = KernelTestData.isQuantised(type) ? 1536 : 581, rows = 5
        let w = KernelTestData.weights(type, rows: rows, rowLength: rowLength, &rng)
        var simd = [Float](repeating: .nan, count: (rows - 2) * rowLength)
        var scalar = simd
        #expect(vk_dequantize_rows(type, w, Int64(rowLength), 1, Int64(rows - 1), &simd) == 0)
        vk_force_scalar(1)
        #expect(vk_dequantize_rows(type, w, Int64(rowLength), 1, Int64(rows - 1), &scalar) == 0)
        vk_force_scalar(0)
        #expect(simd == scalar)
    }

    @Test func dotAndAxpyMatchDoubleArithmetic() {
        var rng = SplitMix64(seed: 3)
        for n in [0, 1, 7, 8, 31, 32, 33, 576, 1537] {
            let a = KernelTestData.floats(n, &rng), b = KernelTestData.floats(n, &rng)
            var exact = 0.0, scale = 0.0
            for i in 0..<n { exact += Double(a[i]) * Double(b[i]); scale += abs(Double(a[i]) * Double(b[i])) }
            #expect(abs(Double(vk_dot_f32(a, b, Int64(n))) - exact) <= 1e-5 * max(scale, 1e-30), "dot n=\(n)")
            var y = b
            vk_axpy_f32(0.75, a, &y, Int64(n))
            for i in 0..<n {
                let want = Double(b[i]) + 0.75 * Double(a[i])
                #expect(abs(Double(y[i]) - want) <= 1e-6 * (abs(Double(b[i])) + abs(0.75 * Double(a[i])) + 1e-30), "axpy n=\(n) i=\(i)")
            }
        }
    }

    /// Row lengths that are not whole blocks, unknown types and missing inputs are refused with -1,
    /// by the dispatched kernels and the reference alike.
    @Test func badArgumentsAreRejected() {
        let w = [UInt8](repeating: 0, count: 4096)
        let x = [Float](repeating: 1, count: 256)
        var xq = [vk_block_q8](repeating: vk_block_q8(), count: 8)
        var y = [Float](repeating: 0, count: 64)
        for type in [VK_Q4_0, VK_Q4_1, VK_Q8_0] {
            for precision in Self.precisions {
                #expect(vk_matmul(type, w, 33, x, xq, 1, &y, 4, 0, 2, precision) == -1)
                #expect(vk_reference_matmul(type, w, 33, x, xq, 1, &y, 4, 0, 2, precision) == -1)
            }
            var out = [Float](repeating: 0, count: 256)
            #expect(vk_dequantize_rows(type, w, 48, 0, 1, &out) == -1)
            #expect(vk_matmul(type, w, 64, x, nil, 1, &y, 4, 0, 2, VK_FAST) == -1)
            #expect(vk_matmul(type, w, 64, nil, xq, 1, &y, 4, 0, 2, VK_EXACT) == -1)
        }
        for raw: UInt32 in [6, 7, 9, 12, 99] {
            let type = vk_type(rawValue: raw)
            #expect(vk_matmul(type, w, 64, x, xq, 1, &y, 4, 0, 2, VK_EXACT) == -1)
            #expect(vk_reference_matmul(type, w, 64, x, xq, 1, &y, 4, 0, 2, VK_EXACT) == -1)
            var out = [Float](repeating: 0, count: 128)
            #expect(vk_dequantize_rows(type, w, 64, 0, 1, &out) == -1)
        }
        vk_quantize_row_q8(x, &xq, 256)
        #expect(vk_matmul(VK_F32, w, 0, x, xq, 1, &y, 4, 0, 2, VK_EXACT) == 0)
        #expect(y[0] == 0 && y[1] == 0)
    }
}
