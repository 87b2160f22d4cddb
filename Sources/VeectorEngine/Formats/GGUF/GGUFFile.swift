import Foundation

/// A GGUF model file (versions 2 and 3), memory-mapped and indexed: its metadata, its tensor infos,
/// and zero-copy access to each tensor's bytes.
///
/// Opening validates the whole header and every tensor's placement (type, shape, alignment, in range,
/// no overlap), so a tensor handed out by this type can be read without further checks. Bytes returned by
/// `bytes(of:)` point into the mapping and stay valid while this object is alive.
public final class GGUFFile: Sendable {
    /// The default `general.alignment` when the file does not set one.
    public static let defaultAlignment = 32
    /// The most tensors or metadata entries a file may declare before it is considered corrupt.
    public static let maximumCount: UInt64 = 1 << 20
    /// The deepest nesting of metadata arrays accepted.
    public static let maximumArrayDepth = 8

    /// The mapped file.
    public let file: MappedFile
    /// The format version (2 or 3).
    public let version: UInt32
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Metadata by key.
    public let metadata: [String: GGUFValue]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment in bytes (`general.alignment`, default 32).
    public let alignment: Int
    /// Offset of the data section from the start of the file (the header's end, aligned).
    public let dataOffset: Int
    private let tensorIndex: [String: Int]

    /// Maps and validates the GGUF file at `path`. Throws `MappedFileError` or `GGUFError`.
    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    /// Validates and indexes an already mapped file. Throws `GGUFError`.
    public init(file: MappedFile) throws {
        self.file = file
        var parser = GGUFParser(bytes: file.bytes)
        let header = try parser.parse()
        version = header.version
        metadataKeys = header.keys
        metadata = header.metadata
        tensors = header.tensors
        alignment = header.alignment
        dataOffset = header.dataOffset
        var index: [String: Int] = [:]
        for (i, t) in tensors.enumerated() { index[t.name] = i }
        tensorIndex = index
    }

    /// The metadata value for `key`, if present.
    public subscript(key: String) -> GGUFValue? { metadata[key] }

    /// The model's architecture (`general.architecture`, e.g. "llama").
    public var architecture: String? { metadata["general.architecture"]?.stringValue }

    /// An architecture-scoped integer such as `llama.block_count` (pass "block_count").
    public func architectureInteger(_ suffix: String) -> Int? {
        guard let arch = architecture else { return nil }
        return metadata[arch + "." + suffix]?.intValue
    }

    /// The tensor named `name`; throws `GGUFError.noSuchTensor` when there is none.
    public func tensor(named name: String) throws -> GGUFTensorInfo {
        guard let i = tensorIndex[name] else { throw GGUFError.noSuchTensor(name) }
        return tensors[i]
    }

    /// The tensor's bytes, in place in the mapping (valid while this object is alive).
    public func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[tensor.fileOffset..<(tensor.fileOffset + tensor.byteCount)])
    }

    /// The tensor's values converted to `Float` (F32 copied, F16/BF16 widened, quantised types
    /// dequantised as ggml does). For tests and reference paths: kernels read `bytes(of:)` directly.
    public func floats(of tensor: GGUFTensorInfo) -> [Float] {
        let raw = bytes(of: tensor)
        let count = tensor.elementCount
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let o = out.baseAddress!
            switch tensor.type {
            case .f32:
                if count > 0 { memcpy(o, raw.baseAddress!, count * 4) }
            case .f16:
                for i in 0..<count { o[i] = float32(fromFloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case .bf16:
                for i in 0..<count { o[i] = float32(fromBFloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case .q4_0: BlockQ4_0.dequantizeRow(raw, into: o)
            case .q4_1: BlockQ4_1.dequantizeRow(raw, into: o)
            case .q8_0: BlockQ8_0.dequantizeRow(raw, into: o)
            default: preconditionFailure("unsupported types are rejected when the file is opened")
            }
            initialized = count
        }
    }
}
