import CVeectorKernels
import Foundation
import Testing
@testable import VeectorEngine

/// The C row kernels of the BERT layer (veector_bert_kernels.h), both the AVX2 and the scalar path,
/// against their definitions computed in Double; and the thread split of a forward pass.
@Suite struct BertKernelTests {
    /// Runs `body` once on the best kernel set and once on the scalar one. Other tests running meanwhile
    /// may take the scalar paths too, which give the same results within the same tolerances.
    static func bothPaths(_ body: (String) -> Void) {
        body(String(cString: vk_bert_kernels_name()))
        vk_bert_force_scalar(1)
        defer { vk_bert_force_scalar(0) }
        body(String(cString: vk_bert_kernels_name()))
    }

    @Test func geluMatchesDefinition() {
        var rng = SystemRandomNumberGenerator()
        let input = (0..<1003).map { _ in Float.random(in: -7...7, using: &rng) } + [0, -0.0, 4, -4, 12, -12, 1e-8]
        Self.bothPaths { set in
            var x = input
            vk_bert_gelu_f32(&x, Int64(x.count))
            var worst = 0.0
            for (v, g) in zip(input, x) {
                let expected = 0.5 * Double(v) * (1 + Foundation.erf(Double(v) / 2.0.squareRoot()))
                worst = max(worst, abs(Double(g) - expected) / max(1, abs(expected)))
            }
            #expect(worst < 1e-6, "\(set): largest error \(worst)")
        }
    }

    @Test func residualLayerNormMatchesDefinition() {
        var rng = SystemRandomNumberGenerator()
        for width in [37, 384] {
            let rows = 5, ld = width + 3  // rows apart by more than their width: the gaps stay untouched
            let x = (0..<(rows * ld)).map { _ in Float.random(in: -4...4, using: &rng) }
            let residual = (0..<(rows * ld)).map { _ in Float.random(in: -2...2, using: &rng) }
            let gamma = (0..<width).map { _ in Float.random(in: 0.5...1.5, using: &rng) }
            let beta = (0..<width).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
            Self.bothPaths { set in
                var out = x
                vk_bert_add_layernorm_f32(&out, residual, Int64(rows), Int64(width), Int64(ld), gamma, beta, 1e-12)
                for r in 0..<rows {
                    let v = (0..<width).map { Double(x[r * ld + $0]) + Double(residual[r * ld + $0]) }
                    let mean = v.reduce(0, +) / Double(width)
                    let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
                    for j in 0..<width {
                        let expected = (v[j] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[j]) + Double(beta[j])
                        #expect(abs(Double(out[r * ld + j]) - expected) < 1e-4, "\(set) width \(width) row \(r) column \(j)")
                    }
                    for j in width..<ld { #expect(out[r * ld + j] == x[r * ld + j], "\(set): gap overwritten") }
                }
                var plain = x
                vk_bert_add_layernorm_f32(&plain, nil, 1, Int64(width), Int64(ld), gamma, beta, 1e-12)
                let v = (0..<width).map { Double(x[$0]) }
                let mean = v.reduce(0, +) / Double(width)
                let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width) + 1e-12).squareRoot()
                #expect(abs(Double(plain[0]) - ((v[0] - mean) / sd * Double(gamma[0]) + Double(beta[0]))) < 1e-4)
            }
        }
    }

    /// One head of attention inside a packed matrix of three heads, against softmax(QKᵀ·scale)·V in Double,
    /// for lengths around the 4-key and 8-lane blocks and head sizes the AVX2 path takes (32, 64) or leaves
    /// to the scalar one (12).
    @Test func attentionHeadMatchesDefinition() {
        var rng = SystemRandomNumberGenerator()
        for d in [32, 64, 12] {
            for length in [1, 2, 3, 4, 5, 9, 17, 31, 40] {
                let ld = 3 * d, column = d  // the middle head
                let q = (0..<(length * ld)).map { _ in Float.random(in: -2...2, using: &rng) }
                let k = (0..<(length * ld)).map { _ in Float.random(in: -2...2, using: &rng) }
                let v = (0..<(length * ld)).map { _ in Float.random(in: -2...2, using: &rng) }
                let scale = 1 / Float(d).squareRoot()
                var expected = [Double](repeating: 0, count: length * d)
                for i in 0..<length {
                    var s = (0..<length).map { j in
                        Double(scale) * (0..<d).reduce(0.0) { $0 + Double(q[i * ld + column + $1]) * Double(k[j * ld + column + $1]) }
                    }
                    let m = s.max()!
                    s = s.map { Foundation.exp($0 - m) }
                    let total = s.reduce(0, +)
                    for j in 0..<length {
                        for c in 0..<d { expected[i * d + c] += s[j] / total * Double(v[j * ld + column + c]) }
                    }
                }
                Self.bothPaths { set in
                    var out = [Float](repeating: .nan, count: length * ld)
                    var scores = [Float](repeating: 0, count: length)
                    q.withUnsafeBufferPointer { qp in
                        k.withUnsafeBufferPointer { kp in
                            v.withUnsafeBufferPointer { vp in
                                out.withUnsafeMutableBufferPointer { op in
                                    vk_bert_attention_head_f32(qp.baseAddress! + column, kp.baseAddress! + column,
                                                               vp.baseAddress! + column, Int64(ld), Int64(length), Int64(d),
                                                               scale, &scores, op.baseAddress! + column, Int64(ld))
                                }
                            }
                        }
                    }
                    var worst = 0.0
                    for i in 0..<length {
                        for c in 0..<d { worst = max(worst, abs(Double(out[i * ld + column + c]) - expected[i * d + c])) }
                        #expect(out[i * ld].isNaN, "\(set): another head's columns were written")
                    }
                    #expect(worst < 1e-5, "\(set) d \(d) length \(length): largest error \(worst)")
                }
            }
        }
    }

    @Test func contiguousGroupsCoverInOrderAndBalance() {
        let lengths = (0..<40).map { 6 + 3 * $0 }  // a pass of sorted, gradually longer texts
        let costs = lengths.map(BertModel.relativeCost)
        for workers in [2, 3] {
            guard let groups = BertParallel.contiguousGroups(costs: costs, workers: workers) else {
                Issue.record("no split into \(workers) groups")
                continue
            }
            #expect(groups.count == workers)
            #expect(groups.first?.lowerBound == 0 && groups.last?.upperBound == costs.count)
            for (a, b) in zip(groups, groups.dropFirst()) { #expect(a.upperBound == b.lowerBound && !a.isEmpty) }
            let share = Double(costs.reduce(0, +)) / Double(workers)
            for g in groups { #expect(Double(costs[g].reduce(0, +)) <= 1.15 * share, "\(groups)") }
        }
        #expect(BertParallel.contiguousGroups(costs: [5], workers: 2) == nil)      // fewer items than workers
        #expect(BertParallel.contiguousGroups(costs: [1000, 1, 1], workers: 2) == nil)  // cannot be even
        #expect(BertParallel.contiguousGroups(costs: [7, 7], workers: 2) == [0..<1, 1..<2])
        #expect(BertParallel.contiguousGroups(costs: [1, 1, 1], workers: 1) == nil)
    }

    /// Two threads give the same hidden states as one, both when the batch is split into groups (one per
    /// thread) and when it cannot be (one sequence: OpenBLAS's threads share each product).
    @Test func twoThreadsMatchOneOnTheRealModel() throws {
        guard BertTestSupport.modelPresent() else { return }
        let model = try SentenceEmbedder(folder: BertTestSupport.miniLMFolder).model
        let texts = ["A short one.", String(repeating: "Long texts take most of the work in a batch. ", count: 8),
                     "The cat sat on the mat while the dog slept by the fire.",
                     String(repeating: "Long texts take most of the work in a batch. ", count: 7), "Hi"]
        let tokenizer = try WordPieceTokenizer(vocabularyFile: BertTestSupport.miniLMFolder + "/vocab.txt")
        let ids = texts.map { [tokenizer.classifierID] + tokenizer.wordPieceIDs($0) + [tokenizer.separatorID] }
        #expect(BertParallel.contiguousGroups(costs: ids.map { BertModel.relativeCost($0.count) }, workers: 2) != nil)
        for batch in [ids, [ids[1]]] {
            let one = try model.forward(batch, threads: 1)
            let two = try model.forward(batch, threads: 2)
            #expect(one.sequenceStarts == two.sequenceStarts && one.values.count == two.values.count)
            let worst = zip(one.values, two.values).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "batch of \(batch.count): largest difference \(worst)")
        }
    }
}
