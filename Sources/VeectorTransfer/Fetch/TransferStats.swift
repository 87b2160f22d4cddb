/// Counters of a `TransferCore`'s traffic and verdicts (for tests, `veesim` and monitoring).
public struct TransferStats: Hashable, Sendable {
    /// Messages received and their bytes.
    public var messagesIn = 0, bytesIn = 0
    /// Messages sent and their bytes.
    public var messagesOut = 0, bytesOut = 0
    /// Chunks requested (`want` entries, endgame duplicates included).
    public var chunksRequested = 0
    /// Chunks that arrived, verified and stored, and their bytes.
    public var chunksVerified = 0, bytesVerified = 0
    /// Chunks that failed verification (never stored).
    public var corruptChunks = 0
    /// Verified chunks that arrived after another copy (endgame or late answers).
    public var duplicateChunks = 0
    /// Requests that timed out and went to another peer.
    public var timeouts = 0
    /// `busy` answers.
    public var busyReplies = 0
    /// Manifests received and refused.
    public var manifestsReceived = 0, manifestsRefused = 0
    /// Whole-content checks that failed (the manifest lied).
    public var wholeMismatches = 0
    /// Peers dropped, by reason.
    public var drops: [TransferDropReason: Int] = [:]
    /// Verified chunks per provider.
    public var chunksFrom: [TransferPeer: Int] = [:]

    /// Zero counters.
    public init() {}
}
