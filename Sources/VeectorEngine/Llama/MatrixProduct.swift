import COpenBLAS
import CVeectorKernels

/// Multiplies stored weight matrices by a batch of activation vectors: `y[c][r] = Σ_k W[r][k] · x[c][k]`.
///
/// Small batches run the kernels directly on the stored (quantised) bytes, rows split across the model's
/// `ComputePool` in one dispatch — several matrices that read the same input (q/k/v, gate/up) share that
/// one dispatch and one 8-bit quantisation of the input. Batches of at least 32 columns against a matrix
/// whose sides are both at least 32 dequantise a band of rows at a time into a bounded scratch buffer and
/// call OpenBLAS `sgemm` from the pool's caller, with OpenBLAS set to the pool's thread count (the two
/// pools never run at once: ours is idle during sgemm).
struct MatrixProduct {
    /// The most floats one dequantised band of weight rows may occupy (4 MiB).
    static let bandFloats = 1 << 20
    /// The smallest batch, row count and row length for which the `sgemm` path is used.
    static let sgemmMinimum = 32
    /// The fewest rows one thread takes of a kernel product (a few microseconds of work).
    static let rowGrain = 16

    let precision: ComputePrecision
    let pool: ComputePool
    private var quantised: [vk_block_q8] = []
    private var band: [Float] = []

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
        if ncols >= Self.sgemmMinimum, length >= Self.sgemmMinimum {
            for (weight, y) in products where weight.rowCount >= Self.sgemmMinimum {
                try sgemm(weight, x, columns: ncols, into: y)
            }
            let rest = products.filter { $0.weight.rowCount < Self.sgemmMinimum }
            if !rest.isEmpty { try kernels(rest, x, columns: ncols) }
            return
        }
        try kernels(products, x, columns: ncols)
    }

    /// The `sgemm` path: dequantised bands of rows times the whole batch.
    private mutating func sgemm(_ weight: Tensor, _ x: UnsafePointer<Float>, columns ncols: Int,
                                into y: UnsafeMutablePointer<Float>) throws(LlamaError) {
        let rows = weight.rowCount, length = weight.rowLength
        let type = vk_type(rawValue: weight.type.rawValue)
        pool.configureOpenBLAS()
        let bandRows = max(1, min(rows, Self.bandFloats / length))
        if band.count < bandRows * length { band = [Float](repeating: 0, count: bandRows * length) }
        var start = 0
        while start < rows {
            let end = min(rows, start + bandRows)
            let ok = band.withUnsafeMutableBufferPointer { buffer in
                vk_dequantize_rows(type, weight.bytes.baseAddress, Int64(length), Int64(start), Int64(end),
                                   buffer.baseAddress) == 0
            }
            guard ok else { throw .kernelFailed(tensor: weight.name, type: weight.type, rowLength: length) }
            band.withUnsafeBufferPointer { buffer in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(ncols), blasint(end - start),
                            blasint(length), 1, x, blasint(length), buffer.baseAddress, blasint(length), 0,
                            y + start, blasint(rows))
            }
            start = end
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
                vk_quantize_row_q8(x, q.baseAddress, Int64(ncols * length))
            }
        }
        let kernelPrecision = precision.kernel
        try quantised.withUnsafeBufferPointer { (q) throws(LlamaError) in
            let xq = fast ? q.baseAddress : nil
            // Row offsets of each product in the combined range.
            var starts: [Int] = [], total = 0
            for (weight, y) in products {
                // An empty range checks the type and row length once; the ranges below then cannot fail.
                guard vk_matmul(vk_type(rawValue: weight.type.rawValue), weight.bytes.baseAddress, Int64(length), x,
                                xq, Int64(ncols), y, Int64(weight.rowCount), 0, 0, kernelPrecision) == 0
                else { throw .kernelFailed(tensor: weight.name, type: weight.type, rowLength: length) }
                starts.append(total)
                total += weight.rowCount
            }
            pool.parallelFor(count: total, grain: Self.rowGrain) { range in
                for p in products.indices {
                    let begin = starts[p], end = begin + products[p].weight.rowCount
                    let lo = max(range.lowerBound, begin), hi = min(range.upperBound, end)
                    guard lo < hi else { continue }
                    let (weight, y) = products[p]
                    _ = vk_matmul(vk_type(rawValue: weight.type.rawValue), weight.bytes.baseAddress,
                                  Int64(length), x, xq, Int64(ncols), y, Int64(weight.rowCount),
                                  Int64(lo - begin), Int64(hi - begin), kernelPrecision)
                }
            }
        }
    }
}

extension GGMLType {
    /// Whether the kernels' 8-bit integer path reads this type (32-weight quantised blocks).
    var isBlockQuantised: Bool { self == .q4_0 || self == .q4_1 || self == .q8_0 }
}
