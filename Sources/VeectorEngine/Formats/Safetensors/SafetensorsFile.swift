import Foundation

/// A safetensors file, memory-mapped and indexed: its `__metadata__`, its tensor infos, and zero-copy
/// access to each tensor's bytes (plus conversion to `Float` for F32, F16 and BF16).
///
/// Opening validates the header and every tensor's `data_offsets` (in range, matching shape × dtype
/// size, no overlap). Bytes returned by `bytes(of:)` stay valid while this object is alive.
public final class SafetensorsFile: Sendable {
    /// The largest header accepted (the safetensors reference implementation's limit).
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// The mapped file.
    public let file: MappedFile
    /// The free-form string metadata (`__metadata__`), empty when absent.
    public let metadata: [String: String]
    /// Tensor infos in the order of their bytes in the file.
    public let tensors: [SafetensorsTensorInfo]
    /// Offset of the data section from the start of the file (8 + header length).
    public let dataOffset: Int
    private let tensorIndex: [String: Int]

    /// Maps and validates the safetensors file at `path`. Throws `MappedFileError` or `SafetensorsError`.
    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    /// Validates and indexes an already mapped file. Throws `SafetensorsError`.
    public init(file: MappedFile) throws {
        self.file = file
        let bytes = file.bytes
        let size = bytes.count
        guard size >= 8 else { throw SafetensorsError.truncatedHeader(headerLength: 0, fileSize: size) }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= Self.maximumHeaderLength else { throw SafetensorsError.implausibleHeaderLength(headerLength) }
        guard headerLength <= UInt64(size - 8) else {
            throw SafetensorsError.truncatedHeader(headerLength: headerLength, fileSize: size)
        }
        dataOffset = 8 + Int(headerLength)
        let dataSize = size - dataOffset
        let json = Data(bytes[8..<dataOffset])
        guard json.first == UInt8(ascii: "{") else { throw SafetensorsError.badHeader("it does not start with '{'") }

        let entries: [String: HeaderEntry]
        do {
            entries = try JSONDecoder().decode([String: HeaderEntry].self, from: json)
            metadata = try JSONDecoder().decode(HeaderMetadata.self, from: json).__metadata__ ?? [:]
        } catch let error as DecodingError {
            throw Self.describe(error)
        } catch {
            throw SafetensorsError.badHeader("\(error)")
        }

        var tensors: [SafetensorsTensorInfo] = []
        for (name, entry) in entries where name != "__metadata__" {
            guard let rawDType = entry.dtype, let shape = entry.shape, let offsets = entry.data_offsets else {
                throw SafetensorsError.badEntry(tensor: name, detail: "it needs \"dtype\", \"shape\" and \"data_offsets\"")
            }
            guard let dtype = SafetensorsDType(rawValue: rawDType) else {
                throw SafetensorsError.unknownDType(rawDType, tensor: name)
            }
            guard offsets.count == 2 else {
                throw SafetensorsError.badEntry(tensor: name, detail: "data_offsets has \(offsets.count) numbers, not 2")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw SafetensorsError.badEntry(tensor: name, detail: "shape \(shape) has a negative dimension")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw SafetensorsError.offsetsOutOfRange(tensor: name, begin: begin, end: end, dataSize: dataSize, dataStart: dataOffset)
            }
            var expected = dtype.size
            var overflow = false
            for d in shape where !overflow { (expected, overflow) = expected.multipliedReportingOverflow(by: d) }
            guard !overflow, expected == end - begin else {
                throw SafetensorsError.sizeMismatch(tensor: name, shape: shape, dtype: dtype, byteCount: end - begin,
                                                    fileOffset: dataOffset + begin)
            }
            tensors.append(SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end,
                                                 fileOffset: dataOffset + begin))
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        let nonEmpty = tensors.filter { $0.byteCount > 0 }
        for (a, b) in zip(nonEmpty, nonEmpty.dropFirst()) where b.dataOffsets.lowerBound < a.dataOffsets.upperBound {
            throw SafetensorsError.overlapping(tensor: b.name, begin: b.dataOffsets.lowerBound, other: a.name,
                                               otherEnd: a.dataOffsets.upperBound)
        }
        self.tensors = tensors
        var index: [String: Int] = [:]
        for (i, t) in tensors.enumerated() { index[t.name] = i }
        tensorIndex = index
    }

    /// The tensor named `name`; throws `SafetensorsError.noSuchTensor` when there is none.
    public func tensor(named name: String) throws -> SafetensorsTensorInfo {
        guard let i = tensorIndex[name] else { throw SafetensorsError.noSuchTensor(name) }
        return tensors[i]
    }

    /// The tensor's bytes, in place in the mapping (valid while this object is alive).
    public func bytes(of tensor: SafetensorsTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[tensor.fileOffset..<(tensor.fileOffset + tensor.byteCount)])
    }

    /// The tensor's values as `Float` (F16 and BF16 widened exactly); throws `SafetensorsError.notFloat`
    /// naming the tensor for any other dtype.
    public func floats(of tensor: SafetensorsTensorInfo) throws -> [Float] {
        guard tensor.dtype.isFloat else { throw SafetensorsError.notFloat(tensor: tensor.name, dtype: tensor.dtype) }
        let raw = bytes(of: tensor)
        let count = tensor.elementCount
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let o = out.baseAddress!
            switch tensor.dtype {
            case .f32:
                if count > 0 { memcpy(o, raw.baseAddress!, count * 4) }
            case .f16:
                for i in 0..<count { o[i] = float32(fromFloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            default:
                for i in 0..<count { o[i] = float32(fromBFloat16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            }
            initialized = count
        }
    }

    /// Turns a JSON decoding error into one that names the tensor whose entry was wrong.
    private static func describe(_ error: DecodingError) -> SafetensorsError {
        let context: DecodingError.Context
        switch error {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .keyNotFound(_, c), let .dataCorrupted(c): context = c
        @unknown default: return .badHeader("\(error)")
        }
        if let first = context.codingPath.first {
            let path = context.codingPath.dropFirst().map(\.stringValue).joined(separator: ".")
            return .badEntry(tensor: first.stringValue, detail: "\(path.isEmpty ? "entry" : path): \(context.debugDescription)")
        }
        return .badHeader(context.debugDescription + (context.underlyingError.map { " (\($0))" } ?? ""))
    }
}

/// One value of the header object, as decoded: a tensor entry (for `__metadata__`, all fields nil).
private struct HeaderEntry: Decodable {
    var dtype: String?
    var shape: [Int]?
    var data_offsets: [Int]?
}

/// The `__metadata__` object of the header.
private struct HeaderMetadata: Decodable {
    var __metadata__: [String: String]?
}
