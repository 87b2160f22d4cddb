/// Why bytes are not a valid block. Each message names the problem's place and what to do.
public enum BlockFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer bytes than the fixed header, or than the manifest length says.
    case truncated(needed: Int, have: Int)
    /// The first four bytes are not `VBLK`.
    case badMagic([UInt8])
    /// A format version this build cannot read.
    case unsupportedVersion(Int)
    /// The manifest is not valid (unreadable JSON, not canonical, unknown role…).
    case badManifest(String)
    /// A tensor entry does not fit the data that follows.
    case badTensor(name: String, reason: String)
    /// Bytes beyond the last tensor, or non-zero padding.
    case badPadding(offset: Int)

    public var description: String {
        switch self {
        case let .truncated(needed, have):
            return "block is truncated: needs at least \(needed) bytes, has \(have); re-import or re-fetch it"
        case let .badMagic(bytes):
            return "not a Veector block: starts with \(bytes.map { String($0, radix: 16) }) instead of 'VBLK'"
        case let .unsupportedVersion(v):
            return "block format version \(v) is not supported by this build (it reads version \(BlockFormat.version)); update veenode"
        case let .badManifest(reason):
            return "block manifest is invalid: \(reason); re-import the model"
        case let .badTensor(name, reason):
            return "block tensor '\(name)': \(reason); re-import the model"
        case let .badPadding(offset):
            return "block has unexpected bytes at offset \(offset) (padding must be zeros and nothing may follow the last tensor)"
        }
    }
}
