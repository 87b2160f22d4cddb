import COpenBLAS
import CVeectorKernels

/// Multiplies stored weight matrices by a batch of activation vectors: `y[c][r] = Σ_k W[r][k] · x[c][k]`.
///
/// Small batches run the kernels directly on the stored (quantised) bytes, rows split across the model's
/// `ComputePool` in one dispatch — several matrices that read the same input (q/k/v, gate/up) share that
/// one dispatch and one 8-bit quantisation of the input. Batches of at least 32 columns against a matrix
/// whose sides are both at least 32 split the rows of all the matrices that read the same input (q/k/v,
/// gate/up) into pieces across the pool; each thread dequantises its piece into its own bounded band and
/// calls single-threaded OpenBLAS `sgemm` on it, so the machine runs exactly the pool's threads. In `.fast`
/// precision, batches of Q4_0/Q4_1 weights go instead to the kernels' int8 GEMM (8-bit activations, as
/// llama.cpp computes them), its rows split across the pool in groups of 8.
struct MatrixProduct {
    /// The most floats one thread's dequantised band of weight rows may occupy (4 MiB).
    static let bandFloats = 1 << 20
    /// The fewest rows of an `sgemm` piece when a thread's share is cut in two (a 512 × 144 × 576 sgemm
    /// ran at ~75 % of the speed of a 512 × 576 × 576 one on the Zen 3 machine).
    static let sgemmPieceRows = 384
    /// The smallest batch, row count and row length for which the `sgemm` path is used.
    static let sgemmMinimum = 32
    /// The fewest rows one thread takes of a kernel product (a few microseconds of work).
    static let rowGrain = 16

    let precision: ComputePrecision
    let pool: ComputePool
    private var quantised: [vk_block_q8] = []
    private var band: [Float] = []
    private var sums: [Float] = []

    init(precision: ComputePrecision, pool: ComputePool) {
        self.precision = precision
        self.pool = pool
    }

    /// Computes `ncols` products of `weight` with the vectors in `x` (each `weight.rowLength` floats,
    /// back to back) into `y` (each `weight.rowCount` floats, back to back).
    mutating func multiply(_ weight: Tensor, _ x: UnsafePointer<Float>, columns ncols: Int,
                           into y: UnsafeMutablePointer<Float>) throws(LlamaError) {
        try multiply([(weight, y)], x, columns: ncols)
    }

    /// Adds the products of `weight` with the vectors in `x` to `y` (`y += W · x`: the residual
    /// connections). The `sgemm` path accumulates in place (beta = 1); the kernel path goes through a
    /// scratch buffer.
    mutating func multiplyAdding(_ weight: Tensor, _ x: UnsafePointer<Float>, columns ncols: Int,
                                 into y: UnsafeMutablePointer<Float>) throws(LlamaError) {
        if usesSgemm(weight, columns: ncols) {
            try sgemm([(weight, y)], x, columns: ncols, beta: 1)
            return
        }
        let count = ncols * weight.rowCount
        // Taken out of `self` while `kernels` (mutating) runs, and put back for the next call.
        var scratch = sums.count >= count ? sums : [Float](repeating: 0, count: count)
        sums = []
        defer { sums = scratch }
        try scratch.withUnsafeMutableBufferPointer { (out) throws(LlamaError) in
            try kernels([(weight, out.baseAddress!)], x, columns: ncols)
            let sums = out.baseAddress!
            pool.parallelFor(count: count, grain: 1 << 14) { r in
                vk_axpy_f32(1, sums + r.lowerBound, y + r.lowerBound, Int64(r.count))
            }
        }
    }

    /// Whether a product of `weight` with `ncols` columns goes to `sgemm` (both sides and the batch large,
    /// and no int8 GEMM for it in `.fast` precision).
    private func usesSgemm(_ weight: Tensor, columns ncols: Int) -> Bool {
        ncols >= Self.sgemmMinimum && weight.rowLength >= Self.sgemmMinimum && weight.rowCount >= Self.sgemmMinimum
            && !usesGemm(weight, columns: ncols)
    }

    /// Whether a `.fast` product of `weight` with `ncols` columns runs on the kernels' int8 GEMM (Q4
    /// weights × 8-bit activations, 8 rows × a few columns per micro-kernel), which beats dequantising
    /// to f32 for `sgemm`.
    private func usesGemm(_ weight: Tensor, columns ncols: Int) -> Bool {
        precision == .fast && vk_matmul_has_gemm(vk_type(rawValue: weight.type.rawValue), Int64(ncols)) != 0
    }

    /// Computes the products of every `(weight, y)` pair with the same input `x` (all weights share the row
    /// length), as one dispatch on the pool when the batch is small.
    mutating func multiply(_ products: [(weight: Tensor, y: UnsafeMutablePointer<Float>)], _ x: UnsafePointer<Float>,
                           columns ncols: Int) throws(LlamaError) {
        guard let first = products.first else { return }
        let length = first.weight.rowLength
        for (weight, _) in products {
            guard weight.rowLength == length else {
                throw .kernelFailed(tensor: weight.name, type: weight.type, rowLength: weight.rowLength)
            }
        }
        let large = products.filter { usesSgemm($0.weight, columns: ncols) }
        if !large.isEmpty { try sgemm(large, x, columns: ncols, beta: 0) }
        let rest = products.filter { !usesSgemm($0.weight, columns: ncols) }
        if !rest.isEmpty { try kernels(rest, x, columns: ncols) }
    }

    /// The `sgemm` path (`y = W · x + beta · y`): every product's rows, back to back, cut into pieces that the pool's threads claim;
    /// a thread dequantises its piece's rows into its own band and multiplies them by the whole batch
    /// with single-threaded OpenBLAS (so OpenBLAS never starts threads of its own, and dequantisation runs
    /// on every thread too).
    private mutating func sgemm(_ products: [(weight: Tensor, y: UnsafeMutablePointer<Float>)],
                                _ x: UnsafePointer<Float>, columns ncols: Int, beta: Float) throws(LlamaError) {
        let length = products[0].weight.rowLength
        var starts: [Int] = [], total = 0
        for (weight, _) in products {
            // An empty range checks the type and row length once; the ranges below then cannot fail.
            guard vk_dequantize_rows(vk_type(rawValue: weight.type.rawValue), weight.bytes.baseAddress,
                                     Int64(length), 0, 0, nil) == 0
            else { throw .kernelFailed(tensor: weight.name, type: weight.type, rowLength: length) }
            starts.append(total)
            total += weight.rowCount
        }
        let threads = pool.threadCount
        let bandRows = max(1, Self.bandFloats / length)
        if band.count < threads * bandRows * length {
            band = [Float](repeating: 0, count: threads * bandRows * length)
        }
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
        // Pieces: one per thread, or two when both stay at least `sgemmPieceRows` thick (so a thread
        // slowed by another process is partly made up for; thinner pieces lose sgemm efficiency, and each
        // piece packs the whole batch once more).
        let pieces = threads == 1 ? 1 : (total / (threads * 2) >= Self.sgemmPieceRows ? threads * 2 : threads)
        let pieceRows = (total + pieces - 1) / pieces
        band.withUnsafeMutableBufferPointer { bands in
            let bands = bands.baseAddress!
            pool.parallelFor(count: total, grain: pieceRows) { range in
                let scratch = bands + pool.threadIndex * bandRows * length
                for p in products.indices {
                    let begin = starts[p], rows = products[p].weight.rowCount
                    var lo = max(range.lowerBound, begin) - begin
                    let hi = min(range.upperBound, begin + rows) - begin
                    let (weight, y) = products[p]
                    let type = vk_type(rawValue: weight.type.rawValue)
                    while lo < hi {
                        let end = min(hi, lo + bandRows)
                        _ = vk_dequantize_rows(type, weight.bytes.baseAddress, Int64(length), Int64(lo), Int64(end),
                                               scratch)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(ncols), blasint(end - lo),
                                    blasint(length), 1, x, blasint(length), scratch, blasint(length), beta,
                                    y + lo, blasint(rows))
                        lo = end
                    }
                }
            }
        }
    }

    /// The kernel path: every product's rows, back to back, split across the pool in one dispatch.
    private mutating func kernels(_ products: [(weight: Tensor, y: UnsafeMutablePointer<Float>)],
                                  _ x: UnsafePointer<Float>, columns ncols: Int) throws(LlamaError) {
        let length = products[0].weight.rowLength
        let fast = precision == .fast && products.contains { $0.weight.type.isBlockQuantised }
        if fast {
            guard length % 32 == 0 else {
                throw .kernelFailed(tensor: products[0].weight.name, type: products[0].weight.type, rowLength: length)
            }
            let blocks = ncols * length / 32
            if quantised.count < blocks { quantised = [vk_block_q8](repeating: vk_block_q8(), count: blocks) }
            quantised.withUnsafeMutableBufferPointer { q in
                let q = q.baseAddress!
                pool.parallelFor(count: ncols, grain: 64) { columns in
                    vk_quantize_row_q8(x + columns.lowerBound * length, q + columns.lowerBound * length / 32,
                                       Int64(columns.count * length))
                }
            }
        }
        // The int8 GEMM works on pairs of 8-row groups: split rows among threads in such pairs (or groups).
        let gemm = products.allSatisfy { usesGemm($0.weight, columns: ncols) }
        let unit = !gemm ? 1 : products.allSatisfy({ $0.weight.rowCount % 16 == 0 }) ? 16 : 8
        let kernelPrecision = precision.kernel
        try quantised.withUnsafeBufferPointer { (q) throws(LlamaError) in
            let xq = fast ? q.baseAddress : nil
            // Offsets of each product in the combined range, in units of `unit` rows.
            var starts: [Int] = [], total = 0
            for (weight, y) in products {
                // An empty range checks the type and row length once; the ranges below then cannot fail.
                guard vk_matmul(vk_type(rawValue: weight.type.rawValue), weight.bytes.baseAddress, Int64(length), x,
                                xq, Int64(ncols), y, Int64(weight.rowCount), 0, 0, kernelPrecision) == 0
                else { throw .kernelFailed(tensor: weight.name, type: weight.type, rowLength: length) }
                starts.append(total)
                total += (weight.rowCount + unit - 1) / unit
            }
            pool.parallelFor(count: total, grain: max(1, Self.rowGrain / unit)) { range in
                for p in products.indices {
                    let rows = products[p].weight.rowCount
                    let begin = starts[p], end = begin + (rows + unit - 1) / unit
                    let lo = max(range.lowerBound, begin), hi = min(range.upperBound, end)
                    guard lo < hi else { continue }
                    let (weight, y) = products[p]
                    _ = vk_matmul(vk_type(rawValue: weight.type.rawValue), weight.bytes.baseAddress,
                                  Int64(length), x, xq, Int64(ncols), y, Int64(rows),
                                  Int64((lo - begin) * unit), Int64(min(rows, (hi - begin) * unit)), kernelPrecision)
                }
            }
        }
    }
}

extension GGMLType {
    /// Whether the kernels' 8-bit integer path reads this type (32-weight quantised blocks).
    var isBlockQuantised: Bool { self == .q4_0 || self == .q4_1 || self == .q8_0 }
}
