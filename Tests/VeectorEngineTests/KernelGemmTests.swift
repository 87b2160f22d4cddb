import CVeectorKernels
import Testing
import VeectorEngine
import VeectorTestSupport

extension KernelSuite {
    /// The int8 GEMM that `vk_matmul` uses for `VK_FAST` products of Q4_0/Q4_1 weights with batches of at
    /// least 8 columns (`vk_matmul_has_gemm`): exact integer block sums, the scalar reference's numbers,
    /// and a bounded distance from the f32 product. Row counts that are not multiples of 8 and more rows
    /// than one 64-row panel exercise the packing and the per-row kernel that takes the leftover rows.
    @Suite struct KernelGemmTests {
        static let types: [vk_type] = [VK_Q4_0, VK_Q4_1]

        @Test func gemmIsAvailableOnlyWhereItApplies() {
            let avx2 = Kernels.name != "scalar"
            #expect((vk_matmul_has_gemm(VK_Q4_1, 8) != 0) == avx2)
            #expect((vk_matmul_has_gemm(VK_Q4_0, 512) != 0) == avx2)
            #expect(vk_matmul_has_gemm(VK_Q4_1, 7) == 0)
            #expect(vk_matmul_has_gemm(VK_Q8_0, 512) == 0)
            #expect(vk_matmul_has_gemm(VK_F32, 512) == 0)
        }

        /// Weights with scale 1 (and minimum 0) and integer activations whose largest magnitude per block is
        /// 127 (so their scale is 1 too): every block sum is an integer, every result is exact in f32, and the
        /// GEMM must give the integer Σ q_w · q_x bit for bit.
        @Test(arguments: Self.types)
        func integerSumsAreExact(type: vk_type) {
            var rng = SplitMix64(seed: 500 + UInt64(type.rawValue))
            let rowLength = 576, rowCount = 83, blocks = rowLength / 32
            let blockBytes = Int(vk_block_bytes(type)), quantsAt = blockBytes - 16
            var w = rng.bytes(rowCount * blocks * blockBytes)
            for b in 0..<(rowCount * blocks) {
                w[b * blockBytes] = 0x00; w[b * blockBytes + 1] = 0x3C // d = 1.0
                if type == VK_Q4_1 { w[b * blockBytes + 2] = 0; w[b * blockBytes + 3] = 0 } // m = 0
            }
            for ncols in [8, 13, 67] {
                var x = (0..<(ncols * rowLength)).map { _ in Float(Int(rng.next() % 255) - 127) }
                for block in 0..<(ncols * blocks) { x[block * 32 + Int(rng.next() % 32)] = rng.next() & 1 == 0 ? 127 : -127 }
                var xq = [vk_block_q8](repeating: vk_block_q8(), count: ncols * blocks)
                vk_quantize_row_q8(x, &xq, Int64(ncols * rowLength))
                var expected = [Float](repeating: 0, count: ncols * rowCount)
                for c in 0..<ncols {
                    for r in 0..<rowCount {
                        var sum = 0
                        for b in 0..<blocks {
                            let q = w[((r * blocks + b) * blockBytes + quantsAt)...].prefix(16)
                            for (j, byte) in q.enumerated() {
                                var lo = Int(byte & 0x0F), hi = Int(byte >> 4)
                                if type == VK_Q4_0 { lo -= 8; hi -= 8 }
                                let k = c * rowLength + b * 32 + j
                                sum += lo * Int(x[k]) + hi * Int(x[k + 16])
                            }
                        }
                        expected[c * rowCount + r] = Float(sum)
                    }
                }
                for rows in [0..<rowCount, 3..<29, 8..<16, 70..<83] {
                    var y = [Float](repeating: .nan, count: ncols * rowCount)
                    #expect(vk_matmul(type, w, Int64(rowLength), nil, xq, Int64(ncols), &y, Int64(rowCount),
                                      Int64(rows.lowerBound), Int64(rows.upperBound), VK_FAST) == 0)
                    var mismatches = 0
                    for c in 0..<ncols {
                        for r in 0..<rowCount {
                            let got = y[c * rowCount + r]
                            if rows.contains(r) ? got != expected[c * rowCount + r] : !got.isNaN { mismatches += 1 }
                        }
                    }
                    #expect(mismatches == 0, "type \(type.rawValue) ncols \(ncols) rows \(rows): \(mismatches) wrong")
                }
            }
        }

        /// On realistic random data the GEMM matches the scalar reference of the same precision to f32
        /// rounding, and differs from the f32 (`VK_EXACT`) product by no more than the activations'
        /// quantisation allows: |x − d·q| ≤ d/2 per element, so |Δy| ≤ Σ_blocks (d_x/2) · Σ_k |w_k|.
        @Test(arguments: Self.types)
        func matchesReferenceAndStaysNearF32(type: vk_type) {
            var rng = SplitMix64(seed: 900 + UInt64(type.rawValue))
            for (rowLength, rowCount, ncols) in [(576, 77, 37), (1536, 136, 9), (64, 8, 8)] {
                let blocks = rowLength / 32
                let w = KernelTestData.weights(type, rows: rowCount, rowLength: rowLength, &rng)
                let x = KernelTestData.floats(ncols * rowLength, &rng)
                var xq = [vk_block_q8](repeating: vk_block_q8(), count: ncols * blocks)
                vk_quantize_row_q8(x, &xq, Int64(ncols * rowLength))
                var fast = [Float](repeating: 0, count: ncols * rowCount), reference = fast, exact = fast
                #expect(vk_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &fast, Int64(rowCount), 0,
                                  Int64(rowCount), VK_FAST) == 0)
                #expect(vk_reference_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &reference,
                                            Int64(rowCount), 0, Int64(rowCount), VK_FAST) == 0)
                #expect(vk_matmul(type, w, Int64(rowLength), x, xq, Int64(ncols), &exact, Int64(rowCount), 0,
                                  Int64(rowCount), VK_EXACT) == 0)
                var deq = [Float](repeating: 0, count: rowCount * rowLength)
                #expect(vk_dequantize_rows(type, w, Int64(rowLength), 0, Int64(rowCount), &deq) == 0)
                var worstReference = 0.0, worstBound = 0.0
                for c in 0..<ncols {
                    for r in 0..<rowCount {
                        var absolute = 0.0, bound = 0.0
                        for b in 0..<blocks {
                            var wsum = 0.0
                            for k in (b * 32)..<(b * 32 + 32) {
                                let wk = Double(deq[r * rowLength + k])
                                wsum += abs(wk)
                                absolute += abs(wk * Double(x[c * rowLength + k]))
                            }
                            bound += Double(xq[c * blocks + b].d) / 2 * wsum
                        }
                        let i = c * rowCount + r
                        worstReference = max(worstReference, abs(Double(fast[i]) - Double(reference[i])) / max(absolute, 1e-30))
                        // Some slack for the f32 rounding of both products.
                        worstBound = max(worstBound, abs(Double(fast[i]) - Double(exact[i])) / (bound + 1e-5 * absolute))
                    }
                }
                #expect(worstReference <= 1e-5, "type \(type.rawValue) \(rowCount)×\(rowLength) × \(ncols): \(worstReference)")
                #expect(worstBound <= 1, "type \(type.rawValue) \(rowCount)×\(rowLength) × \(ncols): \(worstBound) of the bound")
            }
        }
    }
}
