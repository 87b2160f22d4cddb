/// How far a fetch has come, for progress bars and the simulator.
public struct TransferProgress: Hashable, Sendable {
    /// Chunks held (stored and verified) and in the manifest.
    public var chunksHeld: Int, chunkCount: Int
    /// Bytes held and in the content.
    public var bytesHeld: UInt64, totalBytes: UInt64
    /// Providers serving the chosen manifest right now.
    public var activePeers: Int
}
