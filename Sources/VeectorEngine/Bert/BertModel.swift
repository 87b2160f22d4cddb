import COpenBLAS
import CVeectorKernels
import Dispatch

/// A BERT encoder (all-MiniLM-L6-v2 and its kind) run over a `WeightSource`, one block at a time: the
/// forward pass that turns token ids into contextual hidden states, for sentence embeddings.
///
/// Sequences of a batch are *packed*: their tokens lie back to back in one `[tokens, hidden]` matrix
/// with no padding, so the projections and the feed-forward run as single `cblas_sgemm` products over
/// every token, and attention runs per sequence over its own tokens only. That is the same arithmetic
/// as padding to the longest sequence with an attention mask (a masked key gets weight exactly 0), minus
/// the work on padding. Attention of a short sequence is one fused C kernel per head, of a longer one
/// two products and a vectorised softmax; GELU and residual + LayerNorm are AVX2 C kernels
/// (`veector_bert_kernels.h`). F32 weights are used in place; other variants are dequantised per layer into a
/// scratch buffer. `prefetch(.layer(n+1))` is called before layer n runs.
public final class BertModel: Sendable {
    /// Sequences shorter than this run attention through one fused C kernel per head
    /// (`vk_bert_attention_head_f32`); longer ones as two `sgemm`s and a softmax per row.
    static let attentionBLASMinimumLength = 32

    /// The model's shape.
    public let configuration: BertConfiguration
    /// Where the weights come from.
    public let weights: any WeightSource

    /// A model over `weights`; nothing is read until the first forward pass.
    public init(configuration: BertConfiguration, weights: any WeightSource) {
        self.configuration = configuration
        self.weights = weights
    }

    /// Runs the encoder over `sequences` of token ids (each `[CLS] … [SEP]`, 1 to `maximumPositions`
    /// tokens) with token types (nil: all 0), on `threads` threads: the batch is cut into one group of
    /// sequences per thread when it splits evenly, else OpenBLAS's threads share each product.
    public func forward(_ sequences: [[Int]], tokenTypes: [[Int]]? = nil, threads: Int = 1) throws(BertError) -> BertHiddenStates {
        try forward(sequences, tokenTypes: tokenTypes, threads: threads, workspace: BertWorkspace())
    }

    /// `forward(_:tokenTypes:threads:)` with activation buffers taken from, and handed back to,
    /// `workspace` (shared by the passes of one embedding call).
    func forward(_ sequences: [[Int]], tokenTypes: [[Int]]?, threads: Int,
                 workspace: BertWorkspace) throws(BertError) -> BertHiddenStates {
        let c = configuration
        guard !sequences.isEmpty else { throw .emptyInput }
        guard threads >= 1 else { throw .badArgument("threads is \(threads); it must be at least 1") }
        if let tokenTypes, tokenTypes.map(\.count) != sequences.map(\.count) {
            throw .badArgument("tokenTypes must have one type per token of each sequence")
        }
        var starts: [Int] = []
        var total = 0
        for (s, ids) in sequences.enumerated() {
            guard !ids.isEmpty, ids.count <= c.maximumPositions else {
                throw .badSequenceLength(sequence: s, length: ids.count, maximum: c.maximumPositions)
            }
            for (p, id) in ids.enumerated() where id < 0 || id >= c.vocabularySize {
                throw .tokenOutOfRange(sequence: s, position: p, id: id, vocabularySize: c.vocabularySize)
            }
            if let types = tokenTypes?[s] {
                for (p, t) in types.enumerated() where t < 0 || t >= c.tokenTypeCount {
                    throw .tokenTypeOutOfRange(sequence: s, position: p, type: t, typeCount: c.tokenTypeCount)
                }
            }
            starts.append(total)
            total += ids.count
        }
        let lengths = sequences.map(\.count)
        // Two or more threads: each takes a contiguous group of sequences of about equal cost and runs
        // the layer on it alone with single-threaded OpenBLAS (one join per layer). When the sequences
        // cannot be split evenly (one long text), OpenBLAS's threads share every product instead.
        let split = threads > 1
            ? BertParallel.contiguousGroups(costs: lengths.map(Self.relativeCost), workers: threads) : nil
        let groups = split ?? [0..<sequences.count]
        let inner = split == nil ? threads : 1
        openblas_set_num_threads(Int32(clamping: inner))

        let h = c.hiddenSize
        let passes = groups.map { g in
            workspace.buffers(tokens: lengths[g].reduce(0, +), hidden: h, intermediate: c.intermediateSize,
                              longest: lengths[g].max() ?? 1, threads: inner)
        }
        defer { for pass in passes { workspace.keep(pass) } }
        let groupLengths = groups.map { Array(lengths[$0]) }
        let groupStarts = groups.map { g in starts[g].map { $0 - starts[g.lowerBound] } }
        let arena = ScratchArena()
        var types: [GGMLType: Int] = [:]
        var blocks: [BlockRole] = []
        do {
            weights.prefetch(.embedding)
            weights.prefetch(.layer(0))
            let embedding = try weights.block(.embedding)
            blocks.append(.embedding)
            var reader = BertWeightReader(block: embedding, arena: arena)
            try embed(sequences, tokenTypes: tokenTypes, groups: groups, into: passes.map(\.x), reader: &reader,
                      scratch: passes[0].qkv)
            types.merge(reader.typesUsed, uniquingKeysWith: +)
            for n in 0..<c.layerCount {
                if n + 1 < c.layerCount { weights.prefetch(.layer(n + 1)) }
                let block = try weights.block(.layer(n))
                blocks.append(.layer(n))
                arena.reset()
                var layerReader = BertWeightReader(block: block, arena: arena)
                let layer = try BertLayerWeights(reader: &layerReader, configuration: c)
                types.merge(layerReader.typesUsed, uniquingKeysWith: +)
                if passes.count == 1 {
                    run(layer, lengths: lengths, starts: starts, pass: passes[0], threads: inner)
                } else {
                    DispatchQueue.concurrentPerform(iterations: passes.count) { g in
                        run(layer, lengths: groupLengths[g], starts: groupStarts[g], pass: passes[g], threads: 1)
                    }
                }
            }
        } catch {
            throw .weights(error)
        }
        var values: [Float] = []
        values.reserveCapacity(total * h)
        for pass in passes { values.append(contentsOf: UnsafeBufferPointer(start: pass.x, count: pass.tokens * h)) }
        return BertHiddenStates(values: values, hiddenSize: h, sequenceStarts: starts, sequenceLengths: lengths,
                                blocks: blocks, tensorTypes: types)
    }

    /// The relative work of one sequence of `length` tokens in a layer: per token, the projections and
    /// feed-forward (≈ 9·hidden² multiply-adds, 2304 in units of 4·hidden) plus attention over `length` keys.
    static func relativeCost(_ length: Int) -> Int { length * (2304 + length) }

    /// Word + position + token type embeddings, then LayerNorm: sequences `groups[g]` into `targets[g]`,
    /// back to back.
    private func embed(_ sequences: [[Int]], tokenTypes: [[Int]]?, groups: [Range<Int>],
                       into targets: [UnsafeMutablePointer<Float>], reader: inout BertWeightReader,
                       scratch: UnsafeMutablePointer<Float>) throws(WeightSourceError) {
        let c = configuration
        let h = c.hiddenSize
        let words = try reader.table("word_embeddings.weight", rows: c.vocabularySize, width: h)
        let positions = try reader.matrix("position_embeddings.weight", rows: c.maximumPositions, columns: h)
        let typeTable = try reader.matrix("token_type_embeddings.weight", rows: c.tokenTypeCount, columns: h)
        let gamma = try reader.vector("LayerNorm.weight", count: h)
        let beta = try reader.vector("LayerNorm.bias", count: h)
        for (group, x) in zip(groups, targets) {
            var row = 0
            for s in group {
                for (p, id) in sequences[s].enumerated() {
                    let out = x + row * h
                    let position = positions + p * h
                    let type = typeTable + (tokenTypes?[s][p] ?? 0) * h
                    for j in 0..<h { out[j] = position[j] + type[j] }
                    try words.add(row: id, to: out, scratch: scratch, role: reader.block.role)
                    row += 1
                }
            }
            BertVectorOps.addAndNormalize(x, bias: nil, residual: nil, rows: 0..<row, width: h, gamma: gamma, beta: beta,
                                          epsilon: c.layerNormEpsilon)
        }
    }

    /// One transformer layer over the packed batch in `pass.x`, result back in `pass.x`. Products over
    /// every token use OpenBLAS's `threads` (1 when the caller runs one group per thread); attention and
    /// the row operations are split across `threads` by `BertParallel` (OpenBLAS set to one thread
    /// meanwhile, so the two never oversubscribe).
    private func run(_ w: BertLayerWeights, lengths: [Int], starts: [Int], pass: ForwardBuffers, threads: Int) {
        let c = configuration
        let t = pass.tokens, h = c.hiddenSize, i = c.intermediateSize
        let x = pass.x
        let epsilon = c.layerNormEpsilon
        // Query, key and value of every token in one product (the stacked weights), biases folded in.
        BertMatrixProduct.multiplyTransposed(m: t, n: 3 * h, k: h, alpha: 1, a: x, lda: h, b: w.queryKeyValue, ldb: h,
                                             c: pass.qkv, ldc: 3 * h, bias: w.queryKeyValueBias)
        attention(lengths: lengths, starts: starts, pass: pass, threads: threads)
        // Attention output: dense + bias, residual, LayerNorm → attended (in qkv's first t·h floats, free now).
        let attended = pass.qkv
        BertMatrixProduct.multiplyTransposed(m: t, n: h, k: h, alpha: 1, a: pass.context, lda: h,
                                             b: w.attentionOutput, ldb: h, c: attended, ldc: h, bias: w.attentionOutputBias)
        BertParallel.rows(t, threads: threads) { rows in
            BertVectorOps.addAndNormalize(pass.qkv, bias: nil, residual: pass.x, rows: rows, width: h,
                                          gamma: w.attentionNormWeight, beta: w.attentionNormBias, epsilon: epsilon)
        }
        // Feed-forward: GELU(attended · W1ᵀ + b1) · W2ᵀ + b2, residual, LayerNorm → x.
        BertMatrixProduct.multiplyTransposed(m: t, n: i, k: h, alpha: 1, a: attended, lda: h,
                                             b: w.intermediate, ldb: h, c: pass.intermediate, ldc: i, bias: w.intermediateBias)
        BertParallel.rows(t, threads: threads) { rows in
            BertVectorOps.gelu(pass.intermediate, rows: rows, width: i)
        }
        BertMatrixProduct.multiplyTransposed(m: t, n: h, k: i, alpha: 1, a: pass.intermediate, lda: i,
                                             b: w.output, ldb: i, c: x, ldc: h, bias: w.outputBias)
        BertParallel.rows(t, threads: threads) { rows in
            BertVectorOps.addAndNormalize(pass.x, bias: nil, residual: pass.qkv, rows: rows, width: h,
                                          gamma: w.outputNormWeight, beta: w.outputNormBias, epsilon: epsilon)
        }
    }

    /// Scaled dot-product attention of every sequence and head over that sequence's own tokens:
    /// `context = softmax(Q·Kᵀ/√d)·V`, the (sequence, head) pairs balanced across `threads`.
    private func attention(lengths: [Int], starts: [Int], pass: ForwardBuffers, threads: Int) {
        let c = configuration
        let h = c.hiddenSize, heads = c.headCount, d = c.headSize
        let scale = 1 / Float(d).squareRoot()
        @Sendable func one(_ item: Int, scores: UnsafeMutablePointer<Float>) {
            let s = item / heads, column = (item % heads) * d
            let length = lengths[s], ld = 3 * h
            let q = pass.qkv + starts[s] * ld + column, k = q + h, v = q + 2 * h
            let out = pass.context + starts[s] * h + column
            if length < BertModel.attentionBLASMinimumLength {
                vk_bert_attention_head_f32(q, k, v, Int64(ld), Int64(length), Int64(d), scale, scores, out, Int64(h))
                return
            }
            BertMatrixProduct.multiplyTransposed(m: length, n: length, k: d, alpha: scale, a: q, lda: ld,
                                                 b: k, ldb: ld, c: scores, ldc: length)
            for r in 0..<length { BertVectorOps.softmax(scores + r * length, count: length) }
            BertMatrixProduct.multiply(m: length, n: d, k: length, a: scores, lda: length,
                                       b: v, ldb: ld, c: out, ldc: h)
        }
        let items = lengths.count * heads
        if threads == 1 {
            for item in 0..<items { one(item, scores: pass.scores[0]) }
            return
        }
        let plan = BertParallel.balance(costs: (0..<items).map { lengths[$0 / heads] * lengths[$0 / heads] + 64 },
                                        workers: threads)
        openblas_set_num_threads(1)
        DispatchQueue.concurrentPerform(iterations: plan.count) { w in
            for item in plan[w] { one(item, scores: pass.scores[w]) }
        }
        openblas_set_num_threads(Int32(clamping: threads))
    }
}
