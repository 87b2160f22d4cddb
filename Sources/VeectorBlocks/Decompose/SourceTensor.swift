import VeectorEngine

/// A tensor read in place from a model file, under its block-local name, ready to be copied into a
/// block or requantised.
struct SourceTensor: @unchecked Sendable {
    /// Local name inside the block.
    var name: String
    var type: GGMLType
    /// ggml-order dimensions.
    var dims: [Int]
    /// The stored bytes (in the mapped file).
    var bytes: UnsafeRawBufferPointer
    /// The values as `Float` (dequantised or widened), for requantising.
    var floats: @Sendable () throws(DecomposeError) -> [Float]

    /// The type this tensor takes in `variant`, or nil to copy it as stored. Only weight matrices
    /// (two or more dimensions, whole quantisation blocks per row) are requantised; norms, biases and
    /// vectors stay as they are.
    func targetType(_ variant: Variant) -> GGMLType? {
        guard variant != .ultimate, dims.count >= 2, name.hasSuffix("weight"), dims[0] % 32 == 0 else { return nil }
        let isFloat = type == .f32 || type == .f16 || type == .bf16
        switch variant {
        case .lite: return isFloat ? .q4_1 : .q4_0
        case .pro: return isFloat ? .q8_0 : nil
        case .ultimate: return nil
        }
    }

    /// Whether `variant` changes any tensor of `tensors` (else it would repeat `ultimate`).
    /// Rows `range` of this matrix (`dims[1]` rows of `dims[0]` elements) as a tensor of their own.
    func rows(_ range: Range<Int>) -> SourceTensor {
        let rowBytes = bytes.count / dims[1]
        let slice = UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound * rowBytes)..<(range.upperBound * rowBytes)])
        let whole = floats, rowLength = dims[0]
        return SourceTensor(name: name, type: type, dims: [dims[0], range.count], bytes: slice) { () throws(DecomposeError) in
            Array(try whole()[(range.lowerBound * rowLength)..<(range.upperBound * rowLength)])
        }
    }

    static func variantIsMeaningful(_ variant: Variant, _ tensors: [SourceTensor]) -> Bool {
        variant == .ultimate || tensors.contains { t in t.targetType(variant).map { $0 != t.type } ?? false }
    }
}

/// One block to build: role, shapes, tensors and what it borrows.
struct BlockRecipe: Sendable {
    var role: BlockRole
    var input: [Int]
    var output: [Int]
    var tensors: [SourceTensor]
    var needs: [BlockNeed] = []
    /// For a token-table shard: `[first, end)` vocabulary rows.
    var rows: [Int]?
    /// Whether lite/pro variants are made (layers only).
    var hasVariants: Bool

    /// Builds the block for `variant`, requantising weight matrices as `SourceTensor.targetType` says.
    func build(arch: String, variant: Variant) throws(DecomposeError) -> EncodedBlock {
        var builder = BlockBuilder(arch: arch, role: role, variant: variant, input: input, output: output)
        builder.needs = needs
        builder.rows = rows
        do {
            for t in tensors {
                if let target = t.targetType(variant), target != t.type {
                    let values = try t.floats()
                    guard values.allSatisfy(\.isFinite) else {
                        throw DecomposeError.badTensor(name: t.name, reason: "holds a non-finite value (NaN or infinity); the model file is damaged")
                    }
                    try builder.add(name: t.name, type: target, dims: t.dims, bytes: Requantizer.quantize(values, to: target))
                } else {
                    try builder.add(name: t.name, type: t.type, dims: t.dims, bytes: t.bytes)
                }
            }
        } catch let e as DecomposeError {
            throw e
        } catch {
            throw .badTensor(name: "\(role)", reason: "\(error)")
        }
        return builder.build()
    }
}
