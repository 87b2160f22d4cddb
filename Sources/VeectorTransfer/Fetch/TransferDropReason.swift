/// Why a fetch stopped using a provider.
public enum TransferDropReason: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// It sent a chunk that does not match its digest (banned).
    case corruptChunk = "corrupt-chunk"
    /// It sent a manifest that does not fit the content or the pinned manifest CID (banned).
    case invalidManifest = "invalid-manifest"
    /// Its manifest's chunks, all verified, do not hash to the content CID (banned).
    case wrongContent = "wrong-content"
    /// It sent bytes that are not a transfer message (banned).
    case malformedMessage = "malformed-message"
    /// The session could not be opened in time.
    case unreachable
    /// It does not hold the content.
    case noContent = "no-content"
    /// It serves a different manifest than the one pinned by the request.
    case differentManifest = "different-manifest"
    /// Too many of its requests timed out in a row, or it never sent the manifest.
    case timedOut = "timed-out"
    /// Its session closed and reconnecting failed or was used up.
    case linkLost = "link-lost"
    /// The fetch is over.
    case finished

    /// True when the peer broke the protocol or sent bad data: the driver should refuse it.
    public var isMisbehaviour: Bool {
        switch self {
        case .corruptChunk, .invalidManifest, .wrongContent, .malformedMessage: true
        default: false
        }
    }

    /// True when the peer was dropped for sending content that is not the requested content.
    public var isCorruption: Bool { self == .corruptChunk || self == .invalidManifest || self == .wrongContent }

    /// The reason in words.
    public var description: String { rawValue }
}
