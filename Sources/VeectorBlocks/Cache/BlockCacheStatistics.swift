import ContentID

/// What a `BlockCache` has done so far.
public struct BlockCacheStatistics: Sendable, Equatable, Codable {
    /// Blocks read from the source (each verified the first time its CID was seen).
    public var loads = 0
    /// Of those, the loads started by a prefetch hint.
    public var prefetchLoads = 0
    /// `block(_:)` calls answered from memory (including blocks a prefetch had brought in).
    public var hits = 0
    /// Blocks dropped to stay under the budget.
    public var evictions = 0
    /// Loads that left the cache over budget because every other block was still held.
    public var overBudgetLoads = 0
    /// Time spent hashing blocks against their CIDs, in nanoseconds.
    public var verifyNanoseconds: UInt64 = 0
    /// Bytes read from the source.
    public var bytesLoaded = 0
    /// Bytes of blocks in memory now.
    public var bytesResident = 0
    /// The most bytes ever resident at once.
    public var peakBytesResident = 0
}

/// Which block served a role: for the answer's provenance.
public struct BlockProvenance: Sendable, Equatable, Codable {
    /// The role (`embedding`, `layer.N`, `head`).
    public var role: String
    /// The block's CID.
    public var cid: CID
    /// Its variant.
    public var variant: Variant
    /// Its size in bytes.
    public var bytes: Int
}
