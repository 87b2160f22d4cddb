/// Why a kernel call or a compute pool was refused. Each case names the tensor or buffer at fault and
/// its description says what to change; nothing in the kernel layer crashes on bad input.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    /// The tensor's element type has no kernel (only F32, F16, BF16, Q4_0, Q4_1 and Q8_0 do).
    case unsupportedType(tensor: String, type: GGMLType)
    /// A quantised tensor's row length is not a whole number of 32-weight blocks.
    case rowLengthNotBlockMultiple(tensor: String, rowLength: Int)
    /// The tensor's bytes are fewer than its dimensions and type require.
    case tensorTooSmall(tensor: String, needed: Int, available: Int)
    /// The requested rows are not inside the tensor.
    case rowsOutOfRange(tensor: String, rows: Range<Int>, rowCount: Int)
    /// Fewer than one activation column was requested.
    case invalidColumnCount(Int)
    /// The activations buffer holds fewer floats than columns × row length.
    case inputTooSmall(needed: Int, available: Int)
    /// The output buffer cannot hold every (column, row) the call writes.
    case outputTooSmall(needed: Int, available: Int)
    /// The output stride is smaller than the last row written, so columns would overlap.
    case outputStrideTooSmall(stride: Int, rowsEnd: Int)
    /// Quantised activations were prepared for another row length or fewer columns.
    case activationsMismatch(rowLength: Int, expectedRowLength: Int, columns: Int, neededColumns: Int)
    /// A compute pool needs at least one thread, and its worker threads must start.
    case poolCreationFailed(threads: Int)

    /// What is wrong and what to do about it.
    public var description: String {
        switch self {
        case let .unsupportedType(tensor, type):
            return "tensor \(tensor): type \(type) has no kernel; convert it to F32, F16, BF16, Q4_0, Q4_1 or Q8_0"
        case let .rowLengthNotBlockMultiple(tensor, rowLength):
            return "tensor \(tensor): row length \(rowLength) is not a multiple of 32, so it cannot hold whole quantised blocks; the file is malformed"
        case let .tensorTooSmall(tensor, needed, available):
            return "tensor \(tensor): its dimensions need \(needed) bytes but only \(available) are stored; the file or block is truncated"
        case let .rowsOutOfRange(tensor, rows, rowCount):
            return "tensor \(tensor): rows \(rows) are outside 0..<\(rowCount); ask for rows the tensor has"
        case let .invalidColumnCount(columns):
            return "\(columns) activation columns requested; pass at least 1"
        case let .inputTooSmall(needed, available):
            return "activations hold \(available) floats but columns × row length is \(needed); pass a larger buffer or fewer columns"
        case let .outputTooSmall(needed, available):
            return "output holds \(available) floats but the call writes up to index \(needed - 1); pass a larger buffer"
        case let .outputStrideTooSmall(stride, rowsEnd):
            return "output stride \(stride) is below the last row \(rowsEnd), so columns would overwrite each other; use a stride of at least the tensor's row count"
        case let .activationsMismatch(rowLength, expectedRowLength, columns, neededColumns):
            return "quantised activations have row length \(rowLength) and \(columns) columns, but the tensor needs row length \(expectedRowLength) and \(neededColumns) columns; quantise them for this tensor"
        case let .poolCreationFailed(threads):
            return "could not start a compute pool of \(threads) threads; pass a thread count of at least 1 that the system allows"
        }
    }
}
