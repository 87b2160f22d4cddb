import COpenBLAS
import CVeectorKernels

/// Multiplies a stored weight matrix by a batch of activation vectors: `y[c][r] = Σ_k W[r][k] · x[c][k]`.
///
/// Small batches run the kernels directly on the stored (quantised) bytes; batches of at least 32
/// columns against a matrix whose sides are both at least 32 dequantise a band of rows at a time into
/// a bounded scratch buffer and call OpenBLAS `sgemm`, which is far faster per column.
struct MatrixProduct {
    /// The most floats one dequantised band of weight rows may occupy (4 MiB).
    static let bandFloats = 1 << 20
    /// The smallest batch, row count and row length for which the `sgemm` path is used.
    static let sgemmMinimum = 32

    let precision: ComputePrecision
    private var quantised: [vk_block_q8] = []
    private var band: [Float] = []

    init(precision: ComputePrecision) { self.precision = precision }

    /// Computes `ncols` products of `weight` with the vectors in `x` (each `weight.rowLength` floats,
    /// back to back) into `y` (each `weight.rowCount` floats, back to back).
    mutating func multiply(_ weight: Tensor, _ x: UnsafePointer<Float>, columns ncols: Int,
                           into y: UnsafeMutablePointer<Float>) throws(LlamaError) {
        let rows = weight.rowCount, length = weight.rowLength
        let type = vk_type(rawValue: weight.type.rawValue)
        let failure = LlamaError.kernelFailed(tensor: weight.name, type: weight.type, rowLength: length)
        if ncols >= Self.sgemmMinimum, rows >= Self.sgemmMinimum, length >= Self.sgemmMinimum {
            let bandRows = max(1, min(rows, Self.bandFloats / length))
            if band.count < bandRows * length { band = [Float](repeating: 0, count: bandRows * length) }
            var start = 0
            while start < rows {
                let end = min(rows, start + bandRows)
                let ok = band.withUnsafeMutableBufferPointer { buffer in
                    vk_dequantize_rows(type, weight.bytes.baseAddress, Int64(length), Int64(start), Int64(end),
                                       buffer.baseAddress) == 0
                }
                guard ok else { throw failure }
                band.withUnsafeBufferPointer { buffer in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(ncols), blasint(end - start),
                                blasint(length), 1, x, blasint(length), buffer.baseAddress, blasint(length), 0,
                                y + start, blasint(rows))
                }
                start = end
            }
            return
        }
        let isQuantised = weight.type == .q4_0 || weight.type == .q4_1 || weight.type == .q8_0
        let fast = precision == .fast && isQuantised
        if fast {
            guard length % 32 == 0 else { throw failure }
            let blocks = ncols * length / 32
            if quantised.count < blocks { quantised = [vk_block_q8](repeating: vk_block_q8(), count: blocks) }
            quantised.withUnsafeMutableBufferPointer { q in
                vk_quantize_row_q8(x, q.baseAddress, Int64(ncols * length))
            }
        }
        let kernelPrecision = precision.kernel
        try quantised.withUnsafeBufferPointer { q throws(LlamaError) in
            let xq = fast ? q.baseAddress : nil
            let w = weight.bytes.baseAddress
            // An empty range checks the type and row length once; the ranges below then cannot fail.
            guard vk_matmul(type, w, Int64(length), x, xq, Int64(ncols), y, Int64(rows), 0, 0, kernelPrecision) == 0
            else { throw failure }
            let pointers = UncheckedBox((x, y, xq, w))
            RowParallelism.forEachRange(rows: rows, work: rows * length * ncols) { range in
                let (x, y, xq, w) = pointers.value
                _ = vk_matmul(type, w, Int64(length), x, xq, Int64(ncols), y, Int64(rows),
                              Int64(range.lowerBound), Int64(range.upperBound), kernelPrecision)
            }
        }
    }
}
