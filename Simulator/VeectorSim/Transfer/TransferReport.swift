/// What a transfer run measured: how many fetches completed and how fast, what it cost each peer,
/// and what the attackers achieved. Part of `SimulationReport` (`transferDetails`) when a scenario
/// shares content.
public struct TransferReport: Codable, Sendable {
    /// FNV-1a hash of the transfer run's event trace: the same for the same scenario and seed.
    public var traceHash: String
    /// Events processed.
    public var events: Int
    /// Pieces of content shared and their total bytes.
    public var contents: Int, contentBytes: Int
    /// (Honest peer, content) fetches asked for; those expected to finish (the peer is running at
    /// the end); those that finished with the whole content verified.
    public var fetches: Int, expected: Int, completed: Int
    /// `completed / expected` (1 when nothing was expected).
    public var completionRatio: Double
    /// Fetches that gave up, by reason.
    public var failures: [String: Int]
    /// Fetches resumed from stored chunks after a crash.
    public var resumed: Int
    /// Seconds from the fetch request to the verified whole (restarts included).
    public var completionSeconds: Percentiles
    /// Bytes of answers each honest fetcher received (chunks, manifests, duplicates and garbage).
    public var downloadedBytesPerPeer: Percentiles
    /// Bytes each honest peer that served anything sent.
    public var uploadedBytesPerPeer: Percentiles
    /// Share of all honest upload bytes sent by the original publishers.
    public var publisherShare: Double
    /// Bytes honest fetchers received over the bytes of the content they completed.
    public var downloadOverhead: Double
    /// Chunk requests that timed out, `busy` answers, duplicate chunks (endgame, late answers).
    public var timeouts: Int, busyReplies: Int, duplicateChunks: Int
    /// Providers crashed by `crash-providers` while serving.
    public var providerCrashes: Int

    /// Fetches resumed after a crash, and whether they fetched only what they lacked.
    public struct Resumes: Codable, Sendable {
        /// Fetchers crashed mid-transfer by `crash-fetchers`.
        public var fetcherCrashes: Int
        /// Chunks resumed fetches already held when they resumed (not fetched again).
        public var chunksKept: Int
        /// Chunks resumed fetches stored after resuming (the ones they lacked).
        public var chunksFetched: Int
        /// Chunks resumed fetches asked for although they held them: must be zero.
        public var chunksRequestedAgain: Int
    }
    /// Resume figures.
    public var resumes: Resumes

    /// Attackers and how far they got.
    public struct Adversaries: Codable, Sendable {
        /// `transfer-garbage` peers.
        public var count: Int
        /// Garbage chunks honest fetchers received and rejected (never stored).
        public var badChunksRejected: Int
        /// Attackers banned by at least one honest peer.
        public var banned: Int
        /// Honest peers that stored a chunk that is not genuine: must be zero.
        public var honestPeersAcceptedCorrupt: Int
    }
    /// Adversary figures.
    public var adversaries: Adversaries
    /// Invariants that failed (also copied into the run's `SimulationReport.violations`).
    public var violations: [String]

    /// The figures on a few lines, for `SimulationReport.summary`.
    public var summary: String {
        func pct(_ x: Double) -> String { format1(x * 100) + " %" }
        func mib(_ x: Double) -> String { format2(x / 1_048_576) }
        var lines: [String] = []
        let failed = failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        lines.append("\(contents) contents (\(contentBytes) bytes); fetched \(completed)/\(expected) (\(pct(completionRatio)))"
                     + "; \(resumed) resumed; failed: \(failed.isEmpty ? "none" : failed)")
        lines.append("  transfer time s     p50 \(format1(completionSeconds.p50))  p90 \(format1(completionSeconds.p90))  p99 \(format1(completionSeconds.p99))  max \(format1(completionSeconds.max))")
        lines.append("  transfer MiB/peer   down p50 \(mib(downloadedBytesPerPeer.p50)) max \(mib(downloadedBytesPerPeer.max)); "
                     + "up p50 \(mib(uploadedBytesPerPeer.p50)) max \(mib(uploadedBytesPerPeer.max)); publishers sent \(pct(publisherShare)); overhead \(format2(downloadOverhead))x")
        lines.append("  transfer events     \(timeouts) timeouts, \(busyReplies) busy, \(duplicateChunks) duplicate chunks, \(providerCrashes) providers crashed mid-transfer")
        if resumes.chunksKept > 0 || resumes.fetcherCrashes > 0 {
            lines.append("  transfer resumes    \(resumes.fetcherCrashes) fetchers crashed mid-transfer; resumed fetches kept \(resumes.chunksKept) chunks, "
                         + "fetched \(resumes.chunksFetched), asked again for \(resumes.chunksRequestedAgain) held chunks")
        }
        if adversaries.count > 0 {
            lines.append("  transfer adversaries \(adversaries.count) garbage servers; \(adversaries.badChunksRejected) bad chunks rejected; "
                         + "\(adversaries.banned) banned; corrupt chunks stored by honest peers: \(adversaries.honestPeersAcceptedCorrupt)")
        }
        return lines.joined(separator: "\n")
    }
}
