/// Why a ciphertext package (a shared document in transit) was refused; every message says what
/// to do. Nothing is imported when one of these is thrown.
public enum PackageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a package this program can read; `field` names the part at fault.
    case malformed(field: String, reason: String)
    /// The package is a format version this program does not know.
    case unsupportedVersion(UInt8)
    /// The package's content ID is not the one its share record names: it was swapped or changed in transit.
    case contentIDMismatch(expected: String, found: String)
    /// A sealed content chunk does not hash to the chunk ID listed beside it.
    case chunkIDMismatch(index: Int)
    /// The package is for another document or version than the share record says.
    case documentMismatch(reason: String)
    /// The document key does not open the package's metadata: wrong key, or the package was tampered with.
    case metadataRejected
    /// A content chunk failed authentication or does not decode.
    case chunkRejected(index: Int, reason: String)
    /// The decrypted content does not hash to the content ID sealed in the metadata.
    case contentMismatch(expected: String)

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .malformed(field, reason):
            return "not a valid Veector document package: \(field) \(reason); ask the sender to share the document again"
        case let .unsupportedVersion(v):
            return "the document package has format version \(v), which this program does not read; upgrade Veector"
        case let .contentIDMismatch(expected, found):
            return "the document package is \(found), but the share record names \(expected): it was swapped or changed in transit; nothing was imported"
        case let .chunkIDMismatch(index):
            return "content chunk \(index) of the document package does not match its ID: the package was changed in transit; nothing was imported"
        case let .documentMismatch(reason):
            return "the document package does not match its share record (\(reason)); nothing was imported"
        case .metadataRejected:
            return "the document key does not open the package's metadata: the package or the key was tampered with; nothing was imported"
        case let .chunkRejected(index, reason):
            return "content chunk \(index) of the document package is not readable (\(reason)): it was tampered with; nothing was imported"
        case let .contentMismatch(expected):
            return "the decrypted content does not match its content ID \(expected): the package was tampered with; nothing was imported"
        }
    }
}
