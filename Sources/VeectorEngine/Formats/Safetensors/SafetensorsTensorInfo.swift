/// One tensor described in a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. "encoder.layer.0.attention.self.query.weight".
    public let name: String
    /// The element type.
    public let dtype: SafetensorsDType
    /// The shape, outermost dimension first (row-major, as in PyTorch).
    public let shape: [Int]
    /// Start and end of the tensor's bytes relative to the data section (`data_offsets`).
    public let dataOffsets: Range<Int>
    /// Offset of the tensor's first byte from the start of the file.
    public let fileOffset: Int

    /// Number of elements (product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
    /// Number of bytes.
    public var byteCount: Int { dataOffsets.count }

    /// Makes a tensor info (the reader builds these after validation).
    public init(name: String, dtype: SafetensorsDType, shape: [Int], dataOffsets: Range<Int>, fileOffset: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
        self.fileOffset = fileOffset
    }
}
