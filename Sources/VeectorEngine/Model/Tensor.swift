/// One weight tensor exactly as stored: its element type, its dimensions in ggml order and its bytes.
///
/// This is what kernels read. `dimensions[0]` is the contiguous axis (the length of one row); a
/// safetensors matrix of shape `[out, in]` therefore has `dimensions == [in, out]`. The bytes are
/// usually memory-mapped (a GGUF file, a block in VeectorDB); `owner` keeps that memory alive for as
/// long as the tensor is held.
public struct Tensor: @unchecked Sendable {
    /// The tensor's name inside its block (e.g. `attn_q.weight`, `token_embd.weight`).
    public let name: String
    /// How elements are stored: F32, F16, BF16, Q8_0, Q4_0 or Q4_1.
    public let type: GGMLType
    /// Dimensions in ggml order: `dimensions[0]` is the row length.
    public let dimensions: [Int]
    /// The stored bytes (rows back to back; a quantised row is a run of blocks).
    public let bytes: UnsafeRawBufferPointer
    /// Whatever owns `bytes` (a mapping, a cached block); held so the memory outlives the tensor.
    public let owner: AnyObject?

    /// Wraps stored bytes. The caller guarantees that `bytes` holds `rowCount` rows of `type`.
    public init(name: String, type: GGMLType, dimensions: [Int], bytes: UnsafeRawBufferPointer, owner: AnyObject?) {
        self.name = name
        self.type = type
        self.dimensions = dimensions
        self.bytes = bytes
        self.owner = owner
    }

    /// Elements in one row (the contiguous axis).
    public var rowLength: Int { dimensions.first ?? 0 }
    /// Number of rows (the product of every dimension but the first).
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Total number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }
}
