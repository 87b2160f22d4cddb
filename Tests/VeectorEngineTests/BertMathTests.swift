import Foundation
import Testing
@testable import VeectorEngine

/// The vectorised pieces of the BERT layer against plain definitions.
@Suite struct BertMathTests {
    /// GELU and fused bias + residual + LayerNorm equal their definitions in Double.
    @Test func fusedRowOperations() {
        var rng = SystemRandomNumberGenerator()
        let width = 37, rows = 3  // not a multiple of 8: the tails run too
        let x = (0..<(rows * width)).map { _ in Float.random(in: -4...4, using: &rng) }
        let bias = (0..<width).map { _ in Float.random(in: -1...1, using: &rng) }
        let residual = (0..<(rows * width)).map { _ in Float.random(in: -2...2, using: &rng) }
        let gamma = (0..<width).map { _ in Float.random(in: 0.5...1.5, using: &rng) }
        let beta = (0..<width).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        var gelu = x
        for k in gelu.indices { gelu[k] += bias[k % width] }
        gelu.withUnsafeMutableBufferPointer { BertVectorOps.gelu($0.baseAddress!, rows: 0..<rows, width: width) }
        for k in 0..<(rows * width) {
            let v = Double(x[k] + bias[k % width])
            let expected = 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))
            #expect(abs(Double(gelu[k]) - expected) < 1e-5)
        }
        var normed = x
        normed.withUnsafeMutableBufferPointer {
            BertVectorOps.addAndNormalize($0.baseAddress!, bias: bias, residual: residual, rows: 0..<rows, width: width,
                                          gamma: gamma, beta: beta, epsilon: 1e-12)
        }
        for r in 0..<rows {
            let v = (0..<width).map { Double(x[r * width + $0] + bias[$0] + residual[r * width + $0]) }
            let mean = v.reduce(0, +) / Double(width)
            let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for j in 0..<width {
                let expected = (v[j] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[j]) + Double(beta[j])
                #expect(abs(Double(normed[r * width + j]) - expected) < 1e-4)
            }
        }
    }

    /// The plain-loop products equal cblas_sgemm's on the same shapes (one dimension below 32 forces
    /// the loop; the same product at 32+ goes through OpenBLAS).
    @Test func loopAndBLASProductsAgree() {
        var rng = SystemRandomNumberGenerator()
        let m = 40, n = 33, k = 35
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bt = (0..<(n * k)).map { _ in Float.random(in: -1...1, using: &rng) }  // n rows of k
        let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &rng) }   // k rows of n
        var blas = [Float](repeating: 0, count: m * n), loop = blas, blasNT = blas, loopNT = blas
        BertMatrixProduct.multiplyTransposed(m: m, n: n, k: k, alpha: 0.5, a: a, lda: k, b: bt, ldb: k, c: &blas, ldc: n)
        BertMatrixProduct.multiply(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &blasNT, ldc: n)
        for r in 0..<m {  // one row at a time: m = 1 < 32 takes the loop
            a.withUnsafeBufferPointer { ap in
                loop.withUnsafeMutableBufferPointer { cp in
                    BertMatrixProduct.multiplyTransposed(m: 1, n: n, k: k, alpha: 0.5, a: ap.baseAddress! + r * k, lda: k,
                                                         b: bt, ldb: k, c: cp.baseAddress! + r * n, ldc: n)
                }
                loopNT.withUnsafeMutableBufferPointer { cp in
                    BertMatrixProduct.multiply(m: 1, n: n, k: k, a: ap.baseAddress! + r * k, lda: k, b: b, ldb: n,
                                               c: cp.baseAddress! + r * n, ldc: n)
                }
            }
        }
        for i in 0..<(m * n) {
            #expect(abs(blas[i] - loop[i]) < 1e-4)
            #expect(abs(blasNT[i] - loopNT[i]) < 1e-4)
        }
        var direct: Float = 0
        for p in 0..<k { direct += a[p] * bt[p] }
        #expect(abs(blas[0] - 0.5 * direct) < 1e-4)
        // A bias is added on both paths.
        let bias = (0..<n).map { Float($0) }
        var blasBias = [Float](repeating: 0, count: m * n), loopBias = blasBias
        BertMatrixProduct.multiplyTransposed(m: m, n: n, k: k, alpha: 0.5, a: a, lda: k, b: bt, ldb: k, c: &blasBias, ldc: n, bias: bias)
        BertMatrixProduct.multiplyTransposed(m: 1, n: n, k: k, alpha: 0.5, a: a, lda: k, b: bt, ldb: k, c: &loopBias, ldc: n, bias: bias)
        for j in 0..<n {
            #expect(abs(blasBias[j] - (blas[j] + Float(j))) < 1e-4)
            #expect(abs(loopBias[j] - (blas[j] + Float(j))) < 1e-4)
        }
    }

    @Test func balanceGivesLongItemsTheirOwnWorker() {
        let plan = BertParallel.balance(costs: [100, 1, 1, 1, 90, 5], workers: 2)
        #expect(plan.count == 2)
        #expect(Set(plan.flatMap { $0 }) == Set(0..<6))
        #expect(plan.contains { $0.contains(0) && !$0.contains(4) })
    }
}
