/// One tensor described in a GGUF file's header: its name, shape, type and where its bytes are.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. "blk.0.attn_q.weight".
    public let name: String
    /// The dimensions in ggml order: `dimensions[0]` is the innermost (contiguous) one.
    public let dimensions: [Int]
    /// The element type.
    public let type: GGMLType
    /// Offset of the tensor's first byte from the start of the data section (as stored in the file).
    public let offset: Int
    /// Offset of the tensor's first byte from the start of the file.
    public let fileOffset: Int
    /// Number of elements (product of the dimensions).
    public let elementCount: Int
    /// Number of bytes the tensor occupies.
    public let byteCount: Int

    /// Makes a tensor info (the reader computes the derived sizes after validation).
    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int, fileOffset: Int,
                elementCount: Int, byteCount: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.fileOffset = fileOffset
        self.elementCount = elementCount
        self.byteCount = byteCount
    }
}
