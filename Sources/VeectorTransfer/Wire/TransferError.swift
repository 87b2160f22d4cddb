/// Why a transfer value could not be built (a manifest, a chunking of local bytes). Each
/// description says what to do about it.
public enum TransferError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The content CID does not use sha2-256, so chunks and the whole cannot be verified.
    case unsupportedCID(String)
    /// A chunk size outside 1…`TransferLimits.maxChunkBytes`.
    case invalidChunkSize(Int)
    /// More chunks than `TransferLimits.maxChunks`.
    case tooManyChunks(Int)
    /// The chunk sizes do not add up to the declared size.
    case sizeMismatch(declared: UInt64, sum: UInt64)
    /// A peer key that is not a 32-byte Ed25519 public key.
    case invalidPeerKey(length: Int)
    /// A resumed manifest that does not describe the requested content.
    case manifestForOtherContent(String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case let .unsupportedCID(cid):
            "content \(cid) is not named by a sha2-256 CID: transfer can only verify sha2-256 content"
        case let .invalidChunkSize(n):
            "chunk size \(n) is outside 1…\(TransferLimits.maxChunkBytes) bytes: choose a chunk size in that range"
        case let .tooManyChunks(n):
            "\(n) chunks exceed the limit of \(TransferLimits.maxChunks): use larger chunks"
        case let .sizeMismatch(declared, sum):
            "the manifest declares \(declared) bytes but its chunks add up to \(sum): rebuild the manifest from the content"
        case let .invalidPeerKey(n):
            "a peer key must be a 32-byte Ed25519 public key, got \(n) bytes: pass the key the session authenticated"
        case let .manifestForOtherContent(cid):
            "the manifest passed to resume describes \(cid), not the requested content: pass the manifest saved for this content, or none"
        }
    }
}
