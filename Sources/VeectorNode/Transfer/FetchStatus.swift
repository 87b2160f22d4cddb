/// Where one fetch stands, as `transfer.status` answers and `veenode fetch` prints it.
public struct FetchStatus: Codable, Sendable, Equatable {
    /// What the fetch is doing.
    public enum State: String, Codable, Sendable {
        /// Looking for providers, fetching chunks or checking the whole.
        case running
        /// The whole content is stored, verified against its CID, and announced.
        case done
        /// Gave up; `error` says why (a new fetch of the same CID resumes from the chunks held).
        case failed
    }

    /// The content's CID.
    public var content: String
    /// What the fetch is doing.
    public var state: State
    /// Bytes held (verified) and in the content (0 until a manifest is accepted).
    public var bytesHeld: UInt64 = 0, totalBytes: UInt64 = 0
    /// Chunks held and in the manifest.
    public var chunksHeld = 0, chunkCount = 0
    /// Chunks already held when the fetch started (a resume).
    public var resumedChunks = 0
    /// Providers serving the chosen manifest right now.
    public var activePeers = 0
    /// Providers found so far (DHT `get_peers` and hints).
    public var providersFound = 0
    /// Verified chunks per provider (key in hex).
    public var chunksFrom: [String: Int] = [:]
    /// Chunks that failed verification (never stored).
    public var corruptChunks = 0
    /// Providers dropped for misbehaving (keys in hex).
    public var bannedPeers: [String] = []
    /// Seconds since the fetch started.
    public var seconds = 0.0
    /// Why it failed.
    public var error: String?

    /// A status for `content` in `state`.
    public init(content: String, state: State) {
        self.content = content
        self.state = state
    }
}
