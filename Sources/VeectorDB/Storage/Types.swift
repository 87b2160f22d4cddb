/// How much history a collection keeps when the database is compacted.
public struct HistoryPolicy: Sendable, Equatable {
    /// How many versions of each key to keep; nil keeps all of them.
    public var keepVersions: Int?
    /// Whether a key whose newest version is a deletion is dropped entirely.
    public var dropDeletedKeys: Bool

    /// Creates a policy.
    public init(keepVersions: Int?, dropDeletedKeys: Bool) {
        self.keepVersions = keepVersions
        self.dropDeletedKeys = dropDeletedKeys
    }

    /// Every version is kept, deleted keys included (the default, and what documents use).
    public static let keepAll = HistoryPolicy(keepVersions: nil, dropDeletedKeys: false)
    /// Only the newest `n` versions are kept; deleted keys are dropped.
    public static func latest(_ n: Int) -> HistoryPolicy { HistoryPolicy(keepVersions: max(1, n), dropDeletedKeys: true) }
}

/// Settings for opening a database.
public struct DatabaseOptions: Sendable {
    /// A new segment file is started when the current one would grow past this size.
    public var segmentSize: UInt64 = 64 << 20
    /// A checkpoint of the index is written after this many record versions since the last one.
    public var checkpointEntries: Int = 100_000
    /// Compaction policy per collection; collections not named keep everything.
    public var policies: [String: HistoryPolicy] = [:]
    /// fsync every commit before acknowledging it. Only tests and bulk imports turn this off.
    public var durableCommits = true

    /// Default options.
    public init() {}
}

/// A half-open range of keys `[lower, upper)` within one collection; nil bounds are open.
public struct KeyRange: Sendable, Equatable {
    /// The first key included, or nil for the collection's start.
    public var lower: [UInt8]?
    /// The first key excluded, or nil for the collection's end.
    public var upper: [UInt8]?

    /// Creates a range.
    public init(lower: [UInt8]? = nil, upper: [UInt8]? = nil) {
        self.lower = lower
        self.upper = upper
    }

    /// The whole collection.
    public static let all = KeyRange()

    /// Every key that starts with `prefix`.
    public static func prefix(_ prefix: [UInt8]) -> KeyRange {
        var upper = prefix
        while let last = upper.last, last == 0xFF { upper.removeLast() }
        if upper.isEmpty { return KeyRange(lower: prefix, upper: nil) }
        upper[upper.count - 1] += 1
        return KeyRange(lower: prefix, upper: upper)
    }

    func contains(_ key: ArraySlice<UInt8>) -> Bool {
        if let lower, compareBytes(Array(key), lower) < 0 { return false }
        if let upper, compareBytes(Array(key), upper) >= 0 { return false }
        return true
    }
}

/// One operation of a transaction.
public struct WriteOperation: Sendable {
    /// Put, delete or purge.
    public var kind: RecordKind
    /// The collection's name (1–255 UTF-8 bytes).
    public var collection: String
    /// The key (up to 65,535 bytes).
    public var key: [UInt8]
    /// The value (empty for deletions).
    public var value: [UInt8]
    /// Store the value at a 64-byte aligned file offset so it can be memory-mapped in place.
    public var aligned: Bool
    /// An application flag stored with the record: the value is zstd-compressed (VeectorDB does
    /// not interpret it; the blob store does).
    public var compressed: Bool
    /// SHA-256 of the value (computed when staged).
    public var valueDigest: ValueDigest
}

/// A set of writes that become visible together or not at all.
public struct Transaction: Sendable {
    /// The operations, in order.
    public private(set) var operations: [WriteOperation] = []

    /// An empty transaction.
    public init() {}

    /// Writes a new version of `key` in `collection`. `aligned` stores the value at a 64-byte file
    /// offset (memory-mappable); `compressed` is an application flag kept with the record;
    /// `valueDigest` may pass SHA-256(value) when the caller already has it.
    public mutating func put(_ collection: String, _ key: [UInt8], _ value: [UInt8], aligned: Bool = false,
                             compressed: Bool = false, valueDigest: ValueDigest? = nil) {
        operations.append(WriteOperation(kind: .put, collection: collection, key: key, value: value, aligned: aligned,
                                         compressed: compressed, valueDigest: valueDigest ?? ValueDigest(of: value)))
    }

    /// Marks `key` deleted (its history stays until the collection's policy drops it).
    public mutating func delete(_ collection: String, _ key: [UInt8]) {
        operations.append(WriteOperation(kind: .delete, collection: collection, key: key, value: [], aligned: false,
                                         compressed: false, valueDigest: Self.emptyDigest))
    }

    /// Marks `key` for removal with all its versions at the next compaction.
    public mutating func purge(_ collection: String, _ key: [UInt8]) {
        operations.append(WriteOperation(kind: .purge, collection: collection, key: key, value: [], aligned: false,
                                         compressed: false, valueDigest: Self.emptyDigest))
    }

    static let emptyDigest = ValueDigest(of: [UInt8]())

    /// Whether there is nothing to write.
    public var isEmpty: Bool { operations.isEmpty }
}

/// What a durable commit returns: its transaction ID and the version each operation created.
public struct CommitReceipt: Sendable, Equatable {
    /// The transaction's ID (increasing in commit order).
    public var txnID: UInt64
    /// The version written by each operation, in order.
    public var versions: [UInt64]
}

/// One version of one record, with its value.
public struct Record: Sendable, Equatable {
    /// The key.
    public var key: [UInt8]
    /// The version number.
    public var version: UInt64
    /// Put, delete or purge.
    public var kind: RecordKind
    /// The value (empty for deletions).
    public var value: [UInt8]
    /// The version hash sync compares.
    public var versionHash: VersionHash
}

/// A key and the index entry of one of its versions (no value), as listings return them.
public struct KeyEntry: Sendable, Equatable {
    /// The key.
    public var key: [UInt8]
    /// Where and what the version is.
    public var entry: IndexEntry
}

/// What opening the database found and repaired.
public struct RecoveryReport: Sendable, Equatable, Codable {
    /// Transactions replayed from the log after the index checkpoint.
    public var replayedTransactions = 0
    /// Bytes cut from the end of the last segment (a torn, unacknowledged tail).
    public var truncatedBytes: UInt64 = 0
    /// Damage found in the middle of the log (kept in place, reported by `check`).
    public var damage: [DamagedRange] = []
    /// Whether the index checkpoint was unusable and the index was rebuilt from the whole log.
    public var rebuiltIndex = false
    /// Left-over files of interrupted operations that were removed.
    public var removedFiles: [String] = []
}

/// Counts and sizes, for `veenode status`.
public struct DatabaseStatistics: Sendable, Codable, Equatable {
    /// Number of segment files.
    public var segments: Int
    /// Bytes in segment files.
    public var segmentBytes: UInt64
    /// Record versions in the index checkpoint.
    public var checkpointEntries: Int
    /// Record versions since the checkpoint.
    public var memtableEntries: Int
    /// The last committed transaction.
    public var lastTxnID: UInt64
    /// The active segment's number and where its last record ends.
    public var activeSegment: UInt64
    public var activeSegmentEnd: UInt64
    /// Transactions committed and group-commit batches (one write and one fdatasync each) since open:
    /// when commits arrive together, batches < transactions.
    public var transactionsCommitted: UInt64 = 0
    public var commitBatches: UInt64 = 0
}
