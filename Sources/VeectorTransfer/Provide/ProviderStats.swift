/// Counters of a `ProviderCore`'s service (for tests, `veesim` and monitoring).
public struct ProviderStats: Hashable, Sendable {
    /// Requests received.
    public var requestsIn = 0
    /// Manifests sent.
    public var manifestsServed = 0
    /// Chunks sent and their bytes.
    public var chunksServed = 0, bytesServed = 0
    /// `busy` answers and the chunks they refused.
    public var busyReplies = 0, chunksRefused = 0
    /// `dontHave` answers.
    public var dontHaves = 0
    /// Chunks dropped from queues by `cancel`.
    public var cancelled = 0
    /// Requests dropped over the rate limit.
    public var rateLimited = 0
    /// Peers disconnected for malformed or oversized requests, or flooding.
    public var peersDisconnected = 0

    /// Zero counters.
    public init() {}
}
