import CVeectorKernels

/// Activation vectors quantised to 8 bits (32 values per block with an f32 scale), prepared once and
/// reused by every `.fast` product that reads the same input (e.g. the q, k and v projections of a layer).
public final class QuantizedActivations {
    /// Floats per column (the row length of the tensors these activations multiply).
    public let rowLength: Int
    /// Columns the buffer can hold.
    public let capacity: Int
    /// Columns quantised by the last `quantize` call.
    public private(set) var columns: Int = 0
    /// The blocks, `capacity × rowLength / 32` of them.
    let blocks: UnsafeMutablePointer<vk_block_q8>

    /// Makes room for `capacity` columns of `rowLength` floats; `rowLength` must be a multiple of 32.
    public init(rowLength: Int, capacity: Int) throws(KernelError) {
        guard rowLength > 0, rowLength % 32 == 0 else {
            throw .rowLengthNotBlockMultiple(tensor: "activations", rowLength: rowLength)
        }
        guard capacity >= 1 else { throw .invalidColumnCount(capacity) }
        self.rowLength = rowLength
        self.capacity = capacity
        blocks = .allocate(capacity: capacity * rowLength / 32)
    }

    deinit { blocks.deallocate() }

    /// Quantises `columns` vectors of `rowLength` floats stored back to back in `input`.
    public func quantize(_ input: UnsafeBufferPointer<Float>, columns: Int) throws(KernelError) {
        guard columns >= 1, columns <= capacity else { throw .invalidColumnCount(columns) }
        guard let base = input.baseAddress, input.count >= columns * rowLength else {
            throw .inputTooSmall(needed: columns * rowLength, available: input.count)
        }
        vk_quantize_row_q8(base, blocks, Int64(columns * rowLength))
        self.columns = columns
    }
}
