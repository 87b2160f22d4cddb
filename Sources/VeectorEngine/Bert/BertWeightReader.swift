import CVeectorKernels

/// Turns one block's tensors into `Float` pointers the forward pass can read: F32 tensors are used in
/// place (no copy), every other supported type (F16, BF16, Q8_0, Q4_0, Q4_1 — the "lite/pro" variants of
/// a block) is dequantised into the pass's `ScratchArena`. Checks each tensor's type, dimensions and
/// byte count first, so a wrong block ends in a `WeightSourceError` naming the tensor, never a crash.
struct BertWeightReader {
    /// The block being read.
    let block: WeightBlock
    /// Where dequantised copies go.
    let arena: ScratchArena
    /// Counts of the tensor types read, for provenance.
    private(set) var typesUsed: [GGMLType: Int] = [:]

    init(block: WeightBlock, arena: ScratchArena) {
        self.block = block
        self.arena = arena
    }

    /// A PyTorch `[rows, columns]` matrix (ggml dims `[columns, rows]`), row-major.
    mutating func matrix(_ name: String, rows: Int, columns: Int) throws(WeightSourceError) -> UnsafePointer<Float> {
        let tensor = try checked(name, dimensions: [columns, rows])
        return try floats(of: tensor, rows: rows, rowLength: columns)
    }

    /// A vector of `count` values (a bias, a LayerNorm weight).
    mutating func vector(_ name: String, count: Int) throws(WeightSourceError) -> UnsafePointer<Float> {
        let tensor = try checked(name, dimensions: [count])
        return try floats(of: tensor, rows: 1, rowLength: count)
    }

    /// A table of `rows` rows of `width` values whose rows are read one at a time (the word embedding):
    /// F32 in place, other types dequantised row by row when read.
    mutating func table(_ name: String, rows: Int, width: Int) throws(WeightSourceError) -> EmbeddingTable {
        let tensor = try checked(name, dimensions: [width, rows])
        if tensor.type == .f32, let base = aligned(tensor) { return EmbeddingTable(tensor: tensor, floats: base) }
        return EmbeddingTable(tensor: tensor, floats: nil)
    }

    /// The tensor, after checking that it exists, has `dimensions`, a supported type and the right size.
    private mutating func checked(_ name: String, dimensions: [Int]) throws(WeightSourceError) -> Tensor {
        let tensor = try block.tensor(name)
        guard tensor.dimensions == dimensions else {
            throw .unexpectedTensor(block: block.role, name: name,
                                    reason: "dimensions \(tensor.dimensions) (ggml order), expected \(dimensions)")
        }
        guard Self.kernelType(tensor.type) != nil, let layout = tensor.type.layout else {
            throw .unexpectedTensor(block: block.role, name: name,
                                    reason: "type \(tensor.type) is not supported; use F32, F16, BF16, Q8_0, Q4_0 or Q4_1")
        }
        guard tensor.rowLength % layout.elementsPerBlock == 0 else {
            throw .unexpectedTensor(block: block.role, name: name,
                                    reason: "row length \(tensor.rowLength) is not a multiple of \(tensor.type)'s block of \(layout.elementsPerBlock)")
        }
        let expected = tensor.rowCount * (tensor.rowLength / layout.elementsPerBlock) * layout.bytesPerBlock
        guard tensor.bytes.count == expected else {
            throw .unexpectedTensor(block: block.role, name: name,
                                    reason: "it holds \(tensor.bytes.count) bytes, but \(dimensions) of \(tensor.type) needs \(expected)")
        }
        typesUsed[tensor.type, default: 0] += 1
        return tensor
    }

    /// The tensor's values as floats: in place for aligned F32, dequantised into the arena otherwise.
    private func floats(of tensor: Tensor, rows: Int, rowLength: Int) throws(WeightSourceError) -> UnsafePointer<Float> {
        if tensor.type == .f32, let base = aligned(tensor) { return base }
        let out = arena.allocate(rows * rowLength)
        try Self.dequantize(tensor, role: block.role, rows: 0..<rows, into: out)
        return UnsafePointer(out)
    }

    /// The tensor's bytes as floats when they are 4-byte aligned.
    private func aligned(_ tensor: Tensor) -> UnsafePointer<Float>? {
        guard let base = tensor.bytes.baseAddress, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 else {
            return tensor.bytes.count == 0 ? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment) : nil
        }
        return base.assumingMemoryBound(to: Float.self)
    }

    /// Dequantises rows of a checked tensor into `out` with the kernel library.
    static func dequantize(_ tensor: Tensor, role: BlockRole, rows: Range<Int>, into out: UnsafeMutablePointer<Float>)
        throws(WeightSourceError) {
        guard let type = kernelType(tensor.type), let base = tensor.bytes.baseAddress else {
            throw .unexpectedTensor(block: role, name: tensor.name, reason: "type \(tensor.type) cannot be dequantised")
        }
        if tensor.type == .f32 {  // misaligned F32: a plain copy
            UnsafeMutableRawPointer(out).copyMemory(from: base + rows.lowerBound * tensor.rowLength * 4,
                                                    byteCount: rows.count * tensor.rowLength * 4)
            return
        }
        let status = vk_dequantize_rows(type, base, Int64(tensor.rowLength), Int64(rows.lowerBound), Int64(rows.upperBound), out)
        guard status == 0 else {
            throw .unexpectedTensor(block: role, name: tensor.name, reason: "the kernels cannot dequantise type \(tensor.type)")
        }
    }

    /// The kernel library's number for a ggml type, for the types it dequantises.
    static func kernelType(_ type: GGMLType) -> vk_type? {
        switch type {
        case .f32: return VK_F32
        case .f16: return VK_F16
        case .bf16: return VK_BF16
        case .q4_0: return VK_Q4_0
        case .q4_1: return VK_Q4_1
        case .q8_0: return VK_Q8_0
        default: return nil
        }
    }
}

/// A table whose rows are read one at a time (the word embedding): F32 rows in place, other types
/// dequantised per row.
struct EmbeddingTable {
    /// The checked tensor.
    let tensor: Tensor
    /// The rows in place, when the tensor is aligned F32.
    let floats: UnsafePointer<Float>?

    /// Adds row `row` to `out` (`tensor.rowLength` values); `scratch` holds a dequantised row.
    func add(row: Int, to out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, role: BlockRole)
        throws(WeightSourceError) {
        let width = tensor.rowLength
        let source: UnsafePointer<Float>
        if let floats {
            source = floats + row * width
        } else {
            try BertWeightReader.dequantize(tensor, role: role, rows: row..<(row + 1), into: scratch)
            source = UnsafePointer(scratch)
        }
        for j in 0..<width { out[j] += source[j] }
    }
}
