/// A block-quantised weight format: a fixed-size block of bytes that encodes `elementsPerBlock`
/// consecutive weights (ggml's `block_q4_1` and friends). The block structs are laid out exactly as
/// in the file, so a tensor's mapped bytes can be read as an array of blocks without copying.
public protocol QuantFormat: BitwiseCopyable, Sendable {
    /// Number of weights one block encodes.
    static var elementsPerBlock: Int { get }
    /// The block's size in the file, equal to `MemoryLayout<Self>.size`.
    static var bytesPerBlock: Int { get }
    /// The ggml type number of tensors made of these blocks.
    static var ggmlType: GGMLType { get }
    /// Writes the block's `elementsPerBlock` weights as `Float`, following ggml's reference
    /// `dequantize_row_*` exactly. `output` must hold at least `elementsPerBlock` values.
    func dequantize(into output: UnsafeMutablePointer<Float>)
}

extension QuantFormat {
    /// The block's size in bytes.
    public static var bytesPerBlock: Int { MemoryLayout<Self>.size }

    /// Dequantises a row of consecutive blocks read in place from `bytes` (any alignment) into
    /// `output`, which must hold `bytes.count / bytesPerBlock * elementsPerBlock` values.
    public static func dequantizeRow(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<Float>) {
        let blocks = bytes.count / bytesPerBlock
        for b in 0..<blocks {
            let block = bytes.loadUnaligned(fromByteOffset: b * bytesPerBlock, as: Self.self)
            block.dequantize(into: output + b * elementsPerBlock)
        }
    }

    /// Dequantises a row of blocks into a new array (for tests and reference paths).
    public static func dequantizeRow(_ bytes: UnsafeRawBufferPointer) -> [Float] {
        let count = bytes.count / bytesPerBlock * elementsPerBlock
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { dequantizeRow(bytes, into: base) }
            initialized = count
        }
    }
}
