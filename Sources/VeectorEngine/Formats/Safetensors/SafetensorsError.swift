/// Why a safetensors file was rejected, or a tensor could not be read. Messages name the tensor and
/// the byte offset and say what to do.
public enum SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is shorter than the 8-byte header length plus the header it announces.
    case truncatedHeader(headerLength: UInt64, fileSize: Int)
    /// The announced header length is implausible (over 100 MB).
    case implausibleHeaderLength(UInt64)
    /// The header is not a JSON object of the expected shape.
    case badHeader(String)
    /// A tensor entry is malformed (missing or wrong-typed `dtype`, `shape`, `data_offsets`).
    case badEntry(tensor: String, detail: String)
    /// A tensor's dtype is not a safetensors dtype at all.
    case unknownDType(String, tensor: String)
    /// A tensor's `data_offsets` are reversed or run past the end of the file.
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int, dataStart: Int)
    /// A tensor's byte count does not equal shape × dtype size.
    case sizeMismatch(tensor: String, shape: [Int], dtype: SafetensorsDType, byteCount: Int, fileOffset: Int)
    /// Two tensors' byte ranges overlap.
    case overlapping(tensor: String, begin: Int, other: String, otherEnd: Int)
    /// A tensor's dtype cannot be converted to `Float`.
    case notFloat(tensor: String, dtype: SafetensorsDType)
    /// No tensor has this name.
    case noSuchTensor(String)

    /// A message that names the tensor and the byte offset and says what to do.
    public var description: String {
        switch self {
        case let .truncatedHeader(length, size):
            if size < 8 {
                return "safetensors file is truncated: it is \(size) bytes, shorter than the 8-byte header length; fetch the file again"
            }
            return "safetensors file is truncated: it announces a \(length)-byte header at byte offset 8 but is only \(size) bytes; "
                + "fetch the file again"
        case let .implausibleHeaderLength(length):
            return "safetensors header length \(length) (bytes 0..<8) is over 100 MB; this is not a safetensors file or it is corrupt"
        case let .badHeader(detail):
            return "safetensors header (JSON at byte offset 8) is invalid: \(detail); the file is corrupt — fetch it again"
        case let .badEntry(tensor, detail):
            return "safetensors tensor '\(tensor)' has a malformed header entry: \(detail); the file is corrupt"
        case let .unknownDType(dtype, tensor):
            return "safetensors tensor '\(tensor)' has unknown dtype \"\(dtype)\"; the file is corrupt or newer than this reader"
        case let .offsetsOutOfRange(tensor, begin, end, dataSize, dataStart):
            return "safetensors tensor '\(tensor)' has data_offsets [\(begin), \(end)] (file offset \(dataStart + begin)) "
                + "outside the \(dataSize)-byte data section; the file is truncated or corrupt — fetch it again"
        case let .sizeMismatch(tensor, shape, dtype, count, offset):
            return "safetensors tensor '\(tensor)' at byte offset \(offset) has \(count) bytes, but shape \(shape) of \(dtype.rawValue) "
                + "needs \(shape.reduce(1, *) * dtype.size); the file is corrupt"
        case let .overlapping(tensor, begin, other, otherEnd):
            return "safetensors tensor '\(tensor)' starts at data offset \(begin), inside tensor '\(other)' (which ends at \(otherEnd)); the file is corrupt"
        case let .notFloat(tensor, dtype):
            return "safetensors tensor '\(tensor)' has dtype \(dtype.rawValue); only F32, F16 and BF16 convert to Float — read its raw bytes instead"
        case let .noSuchTensor(name):
            return "safetensors file has no tensor named '\(name)'; list the tensors to see the names it has"
        }
    }
}
