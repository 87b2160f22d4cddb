import CVeectorKernels

/// The engine's compute kernels seen from Swift: matrix × activations products computed directly on a
/// `Tensor`'s stored (quantised) bytes, checked arguments, typed errors, optional split across a
/// `ComputePool`. The C kernels behind it pick their SIMD set (AVX2+FMA+F16C or scalar) at run time.
public enum Kernels {
    /// The kernel set in use, e.g. `avx2+fma+f16c` or `scalar` (for logs and benchmark reports).
    public static var name: String { String(cString: vk_kernels_name()) }

    /// Forces the scalar reference kernels process-wide (tests, benchmarks); `false` restores the best set.
    public static func forceScalar(_ force: Bool) { vk_force_scalar(force ? 1 : 0) }

    /// The C kernels' type for a tensor type, or nil when no kernel reads it.
    static func kernelType(_ type: GGMLType) -> vk_type? {
        switch type {
        case .f32, .f16, .bf16, .q4_0, .q4_1, .q8_0: return vk_type(rawValue: type.rawValue)
        default: return nil
        }
    }

    /// Checks that `tensor` can be read by the kernels and returns its kernel type.
    static func validate(_ tensor: Tensor, rows: Range<Int>) throws(KernelError) -> vk_type {
        guard let type = kernelType(tensor.type) else { throw .unsupportedType(tensor: tensor.name, type: tensor.type) }
        let elements = Int(vk_block_elements(type))
        guard tensor.rowLength % elements == 0 else {
            throw .rowLengthNotBlockMultiple(tensor: tensor.name, rowLength: tensor.rowLength)
        }
        let needed = tensor.rowCount * tensor.rowLength / elements * Int(vk_block_bytes(type))
        guard tensor.bytes.count >= needed, tensor.bytes.baseAddress != nil || needed == 0 else {
            throw .tensorTooSmall(tensor: tensor.name, needed: needed, available: tensor.bytes.count)
        }
        guard rows.lowerBound >= 0, rows.upperBound <= tensor.rowCount else {
            throw .rowsOutOfRange(tensor: tensor.name, rows: rows, rowCount: tensor.rowCount)
        }
        return type
    }

    /// Checks that `output` can take `columns` columns of `rows` at `stride` floats apart.
    static func validateOutput(_ output: UnsafeMutableBufferPointer<Float>, columns: Int, stride: Int,
                               rows: Range<Int>) throws(KernelError) {
        guard columns >= 1 else { throw .invalidColumnCount(columns) }
        guard columns == 1 || stride >= rows.upperBound else {
            throw .outputStrideTooSmall(stride: stride, rowsEnd: rows.upperBound)
        }
        let needed = (columns - 1) * stride + rows.upperBound
        guard output.count >= needed, output.baseAddress != nil || rows.isEmpty else {
            throw .outputTooSmall(needed: needed, available: output.count)
        }
    }

    /// `output[c * outputStride + r] = Σ_k W[r][k] · input[c * rowLength + k]` for `r` in `rows` (all rows
    /// when nil) and `c` in `0..<columns`; `outputStride` defaults to the tensor's row count. With
    /// `.fast` and a quantised tensor the input is quantised here first (use the `quantized:` overload to
    /// reuse one quantisation across products). With a `pool`, rows are split across its threads.
    public static func matmul(tensor: Tensor, rows: Range<Int>? = nil, input: UnsafeBufferPointer<Float>,
                              columns: Int, output: UnsafeMutableBufferPointer<Float>, outputStride: Int? = nil,
                              precision: KernelPrecision, pool: ComputePool? = nil) throws(KernelError) {
        let rows = rows ?? 0..<tensor.rowCount
        let type = try validate(tensor, rows: rows)
        let stride = outputStride ?? tensor.rowCount
        try validateOutput(output, columns: columns, stride: stride, rows: rows)
        guard let x = input.baseAddress, input.count >= columns * tensor.rowLength else {
            throw .inputTooSmall(needed: columns * tensor.rowLength, available: input.count)
        }
        let quantised = vk_block_elements(type) == 32
        if precision == .fast && quantised {
            let q = try QuantizedActivations(rowLength: tensor.rowLength, capacity: columns)
            try q.quantize(input, columns: columns)
            try matmul(tensor: tensor, rows: rows, quantized: q, output: output, outputStride: stride, pool: pool)
            return
        }
        run(type, tensor, x, nil, columns, output.baseAddress!, stride, rows, precision.c, pool)
    }

    /// The `.fast` product with activations already quantised (all their columns are used).
    public static func matmul(tensor: Tensor, rows: Range<Int>? = nil, quantized: QuantizedActivations,
                              output: UnsafeMutableBufferPointer<Float>, outputStride: Int? = nil,
                              pool: ComputePool? = nil) throws(KernelError) {
        let rows = rows ?? 0..<tensor.rowCount
        let type = try validate(tensor, rows: rows)
        guard vk_block_elements(type) == 32 else {
            throw .unsupportedType(tensor: tensor.name, type: tensor.type) // 8-bit activations need Q4_0/Q4_1/Q8_0
        }
        guard quantized.rowLength == tensor.rowLength, quantized.columns >= 1 else {
            throw .activationsMismatch(rowLength: quantized.rowLength, expectedRowLength: tensor.rowLength,
                                       columns: quantized.columns, neededColumns: 1)
        }
        let stride = outputStride ?? tensor.rowCount
        try validateOutput(output, columns: quantized.columns, stride: stride, rows: rows)
        run(type, tensor, nil, quantized.blocks, quantized.columns, output.baseAddress!, stride, rows, VK_FAST, pool)
    }

    /// Runs validated arguments, split by rows over `pool` when there is one.
    private static func run(_ type: vk_type, _ tensor: Tensor, _ x: UnsafePointer<Float>?,
                            _ xq: UnsafePointer<vk_block_q8>?, _ columns: Int, _ y: UnsafeMutablePointer<Float>,
                            _ stride: Int, _ rows: Range<Int>, _ precision: vk_precision, _ pool: ComputePool?) {
        guard !rows.isEmpty else { return }
        let w = tensor.bytes.baseAddress
        let n = Int64(tensor.rowLength)
        let start = rows.lowerBound
        guard let pool, pool.threadCount > 1 else {
            _ = vk_matmul(type, w, n, x, xq, Int64(columns), y, Int64(stride), Int64(start), Int64(rows.upperBound), precision)
            return
        }
        pool.parallelFor(count: rows.count, grain: 16) { part in
            _ = vk_matmul(type, w, n, x, xq, Int64(columns), y, Int64(stride),
                          Int64(start + part.lowerBound), Int64(start + part.upperBound), precision)
        }
    }

    /// Dequantises `rows` of `tensor` into `output` (`rowLength` floats per row, back to back).
    public static func dequantize(tensor: Tensor, rows: Range<Int>? = nil,
                                  into output: UnsafeMutableBufferPointer<Float>) throws(KernelError) {
        let rows = rows ?? 0..<tensor.rowCount
        let type = try validate(tensor, rows: rows)
        let needed = rows.count * tensor.rowLength
        guard output.count >= needed, output.baseAddress != nil || needed == 0 else {
            throw .outputTooSmall(needed: needed, available: output.count)
        }
        guard needed > 0 else { return }
        _ = vk_dequantize_rows(type, tensor.bytes.baseAddress, Int64(tensor.rowLength),
                               Int64(rows.lowerBound), Int64(rows.upperBound), output.baseAddress!)
    }
}
