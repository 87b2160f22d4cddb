import VeectorWire

/// What a run counts as it goes; turned into a `SimulationReport` at the end.
struct SimulationMetrics {
    var datagrams = 0
    var bytes = 0
    var adversaryBytes = 0
    var joined = 0
    var crashes = 0
    var restarts = 0
    var bootstraps = 0
    var bootstrapsFailed = 0
    var stores: [Int] = []
    var adversaries: [String: Int] = [:]
    var eclipsedKeys: Set<NodeID> = []
    var disruptions: [Instant] = []
    /// Finished lookups: kind, success, hops, latency, queries, the eclipsed key flag.
    var lookups: [LookupSample] = []
    /// Over time, for the plot and convergence.
    var samples: [Sample] = []

    struct LookupSample {
        let item: Bool
        let succeeded: Bool
        let hops: Int
        let latency: Duration
        let queries: Int
        let finishedAt: Instant
        let eclipsed: Bool
    }

    struct Sample {
        let time: Instant
        let running: Int
        let converged: Int
        let lookupsDone: Int
        let lookupsSucceeded: Int
        let meanTableSize: Double
    }
}

/// Percentiles of a list of numbers (nearest rank), for reports.
public struct Percentiles: Codable, Sendable, Equatable {
    /// How many values.
    public var count: Int
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// Largest value.
    public var max: Double

    /// The percentiles of `values` (all zero when empty).
    public init(_ values: [Double]) {
        let s = values.sorted()
        count = s.count
        func rank(_ p: Double) -> Double {
            guard !s.isEmpty else { return 0 }
            let r = Int((p * Double(s.count)).rounded(.up)) - 1
            return s[Swift.max(0, Swift.min(s.count - 1, r))]
        }
        p50 = rank(0.5)
        p90 = rank(0.9)
        p99 = rank(0.99)
        max = s.last ?? 0
    }
}
