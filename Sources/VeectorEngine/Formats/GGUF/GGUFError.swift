/// Why a GGUF file was rejected. Every message names what was being read, the byte offset and what to do.
public enum GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not start with "GGUF".
    case badMagic(found: [UInt8])
    /// The version is not 2 or 3.
    case unsupportedVersion(UInt32)
    /// The file ends inside `what` (header, a metadata key or value, a tensor info) at `offset`.
    case truncated(what: String, offset: Int, fileSize: Int)
    /// A count or length (`what`) is far too large for the file.
    case implausibleCount(what: String, count: UInt64, offset: Int)
    /// A metadata value has a type number GGUF does not define.
    case unknownValueType(UInt32, key: String, offset: Int)
    /// A metadata string or key is not valid UTF-8.
    case invalidUTF8(what: String, offset: Int)
    /// The same metadata key or tensor name appears twice.
    case duplicate(what: String, name: String, offset: Int)
    /// `general.alignment` is not a power of two (or not an integer).
    case badAlignment(String)
    /// A tensor has more than four dimensions, a negative or overflowing one.
    case badShape(tensor: String, dimensions: [UInt64], offset: Int)
    /// A tensor's type number is not a ggml type at all.
    case unknownTensorType(UInt32, tensor: String, offset: Int)
    /// A tensor's type is a known ggml type that Veector does not read.
    case unsupportedTensorType(GGMLType, tensor: String)
    /// A tensor's first dimension is not a multiple of its type's block size.
    case partialBlock(tensor: String, dimension: Int, blockSize: Int)
    /// A tensor's data offset is not a multiple of the file's alignment.
    case misaligned(tensor: String, offset: Int, alignment: Int)
    /// A tensor's data runs past the end of the file.
    case tensorPastEnd(tensor: String, fileOffset: Int, byteCount: Int, fileSize: Int)
    /// Two tensors' data ranges overlap.
    case overlapping(tensor: String, offset: Int, other: String, otherEnd: Int)
    /// No tensor has this name.
    case noSuchTensor(String)

    /// A message that names the tensor or key and the byte offset and says what to do.
    public var description: String {
        switch self {
        case let .badMagic(found):
            return "not a GGUF file: it starts with \(found.map { String($0, radix: 16) }) instead of \"GGUF\"; "
                + "pass a .gguf model file"
        case let .unsupportedVersion(v):
            let hint = v > 0xFFFF ? " (a big-endian file?)" : ""
            return "GGUF version \(v)\(hint) is not supported; only versions 2 and 3 are read — re-convert the model with a current llama.cpp"
        case let .truncated(what, offset, size):
            return "GGUF file is truncated: it ends (at \(size) bytes) inside \(what) at byte offset \(offset); "
                + "the download or copy is incomplete — fetch the file again"
        case let .implausibleCount(what, count, offset):
            return "GGUF file is corrupt: \(what) at byte offset \(offset) is \(count), far too large for the file; fetch the file again"
        case let .unknownValueType(t, key, offset):
            return "GGUF metadata '\(key)' at byte offset \(offset) has unknown value type \(t); the file is corrupt or newer than this reader"
        case let .invalidUTF8(what, offset):
            return "GGUF \(what) at byte offset \(offset) is not valid UTF-8; the file is corrupt — fetch it again"
        case let .duplicate(what, name, offset):
            return "GGUF \(what) '\(name)' appears twice (second at byte offset \(offset)); the file is corrupt"
        case let .badAlignment(detail):
            return "GGUF general.alignment is invalid: \(detail); it must be a power of two such as 32"
        case let .badShape(tensor, dims, offset):
            return "GGUF tensor '\(tensor)' (info at byte offset \(offset)) has an invalid shape \(dims); "
                + "at most 4 dimensions whose product fits in 63 bits"
        case let .unknownTensorType(t, tensor, offset):
            return "GGUF tensor '\(tensor)' (info at byte offset \(offset)) has unknown tensor type \(t); "
                + "the file is corrupt or uses a ggml type newer than this reader"
        case let .unsupportedTensorType(t, tensor):
            return "GGUF tensor '\(tensor)' has type \(t) (\(t.rawValue)), which Veector does not read; "
                + "supported: F32, F16, BF16, Q4_0, Q4_1, Q8_0 — re-quantise the model to one of these"
        case let .partialBlock(tensor, dim, block):
            return "GGUF tensor '\(tensor)' has first dimension \(dim), not a multiple of its block size \(block); the file is corrupt"
        case let .misaligned(tensor, offset, alignment):
            return "GGUF tensor '\(tensor)' has data offset \(offset), not a multiple of the alignment \(alignment); the file is corrupt"
        case let .tensorPastEnd(tensor, offset, count, size):
            return "GGUF tensor '\(tensor)' at byte offset \(offset) needs \(count) bytes, but the file ends at \(size); "
                + "the file is truncated — fetch it again"
        case let .overlapping(tensor, offset, other, otherEnd):
            return "GGUF tensor '\(tensor)' starts at data offset \(offset), inside tensor '\(other)' (which ends at \(otherEnd)); the file is corrupt"
        case let .noSuchTensor(name):
            return "GGUF file has no tensor named '\(name)'; list the tensors to see the names it has"
        }
    }
}
