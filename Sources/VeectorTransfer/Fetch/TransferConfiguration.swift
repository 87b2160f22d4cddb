/// The rules a `TransferCore` fetches by: how many providers at once, windows, estimates and
/// timeouts. Defaults suit a real network; tests and the simulator may shorten the timings.
public struct TransferConfiguration: Hashable, Sendable {
    /// Providers connected (or being connected) at once at most.
    public var maxConnectedPeers = 8
    /// Providers remembered at most (candidates and dropped ones).
    public var maxKnownPeers = 256
    /// Requests in flight to one provider at most (its pipelining window).
    public var maxWindow = 8
    /// Copies of one chunk in flight at most, once every missing chunk is requested (endgame).
    public var endgameCopies = 2
    /// Throughput assumed for a provider before it has sent anything, bytes per second.
    public var initialThroughput = 1_000_000.0
    /// Round-trip latency assumed for a provider before it has answered.
    public var initialLatency: Duration = .milliseconds(100)
    /// Weight of a new sample in the throughput and latency averages.
    public var estimateWeight = 0.3
    /// How long a session may take to open.
    public var connectTimeout: Duration = .seconds(10)
    /// How long a provider may take to send the manifest.
    public var manifestTimeout: Duration = .seconds(10)
    /// A request times out after this factor times its expected wait, within the bounds below.
    public var timeoutFactor = 4.0
    /// Shortest and longest request timeout.
    public var minRequestTimeout: Duration = .seconds(2), maxRequestTimeout: Duration = .seconds(60)
    /// Timeouts in a row after which a provider is dropped.
    public var maxConsecutiveTimeouts = 3
    /// Longest `busy` back-off honoured (a longer one is cut to this).
    public var maxRetryAfter: Duration = .seconds(60)
    /// Reconnections tried in a row per provider after its session dropped (a verified chunk from it
    /// resets the count); after that it is dropped as `link-lost`, and taken back if found again.
    public var maxReconnects = 2
    /// Wait before reconnecting to a provider whose session dropped, doubled for each attempt in a row
    /// (up to `providerRefresh`); also the first wait before retrying a dropped provider found again.
    public var reconnectDelay: Duration = .seconds(1)
    /// How often to ask for more providers while fewer than `maxConnectedPeers` are usable.
    public var providerRefresh: Duration = .seconds(30)
    /// How long to wait for new providers when none is usable, before failing.
    public var providerPatience: Duration = .seconds(30)
    /// Manifests remembered that differ from the chosen one (alternates if it proves false).
    public var maxAlternateManifests = 8
    /// Largest message accepted.
    public var maxMessageBytes = TransferLimits.maxMessageBytes

    /// The defaults.
    public init() {}
}
