#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// VeectorDB: our embedded, crash-safe store of named collections of key → versioned value.
///
/// Writes go to an append-only log of segment files with per-record checksums; a commit is
/// acknowledged only after fsync, and concurrent commits share one fsync (group commit). The
/// index is a memory-mapped checkpoint file plus an in-memory table of what came after it, so open
/// replays only the log's tail. Compaction rewrites live records into new segments without
/// blocking readers. The format is specified in Spec/veectordb.md.
///
/// Thread-safe: any number of threads may read and commit at once.
public final class Database: @unchecked Sendable {
    /// The folder holding the database's files.
    public let path: String
    let options: DatabaseOptions
    private let directoryLock: DirectoryLock

    // State, guarded by `state`.
    let state = ReadWriteLock()
    var manifest: Manifest
    var index: IndexFile?
    var memtable = MemTable()
    let sortedKeysLock = ConditionLock()
    var sortedKeysCache: [CompositeKey]?
    var readers: [UInt64: SegmentReader] = [:]
    var active: SegmentReader
    var activeEnd: UInt64
    /// Bytes of the active segment already allocated on disk (zero-filled ahead of `activeEnd`), so
    /// that most commits overwrite allocated blocks and fdatasync has no file metadata to flush.
    var activeAllocated: UInt64 = 0
    var nextTxnID: UInt64
    var failure: String?
    var mustRollOnOpen = false
    var transactionsCommitted: UInt64 = 0
    var commitBatches: UInt64 = 0
    var isClosed = false
    var isCompacting = false

    // Group commit.
    let commitQueue = ConditionLock()
    var pending: [PendingCommit] = []
    var leaderBusy = false

    deinit { directoryLock.release() }

    /// What open found and repaired.
    public internal(set) var recovery: RecoveryReport

    /// Opens the database in `path`, creating it if the folder is empty or missing.
    ///
    /// Recovery replays the log after the index checkpoint, cuts a torn tail from the last segment
    /// (an unacknowledged commit), and keeps — and reports — damage found elsewhere.
    public static func open(path: String, options: DatabaseOptions = DatabaseOptions()) throws(StorageError) -> Database {
        try FileSystem.makeDirectory(path)
        let lock = try DirectoryLock(directory: path)
        return try Database(path: path, options: options, lock: lock)
    }

    private init(path: String, options: DatabaseOptions, lock: DirectoryLock) throws(StorageError) {
        self.path = path
        self.options = options
        self.directoryLock = lock
        var report = RecoveryReport()
        let manifestPath = path + "/" + Manifest.fileName
        var manifest: Manifest
        if let bytes = try FileSystem.readFile(manifestPath) {
            manifest = try Manifest.decode(bytes, path: manifestPath)
        } else {
            let existing = try FileSystem.list(path).filter { $0.hasPrefix("seg-") }
            guard existing.isEmpty else {
                throw .damagedFile(path: manifestPath, reason: "missing, but \(existing.count) segment files exist; refusing to start an empty database over them")
            }
            manifest = Manifest()
            manifest.generation = 1
            manifest.segments = [1]
            manifest.nextFileNumber = 2
            manifest.replaySegment = 1
            _ = try PosixFile(path: path + "/" + Manifest.segmentName(1), create: true)
            try FileSystem.syncDirectory(path)
            try FileSystem.writeAtomically(manifest.encode(), to: manifestPath, directory: path)
        }

        // Remove files no manifest names (left by an interrupted checkpoint or compaction).
        let named = Set(manifest.segments.map(Manifest.segmentName) + (manifest.indexFile > 0 ? [Manifest.indexName(manifest.indexFile)] : []))
        for name in try FileSystem.list(path) where (name.hasPrefix("seg-") || name.hasPrefix("index-")) && !named.contains(name) {
            FileSystem.remove(path + "/" + name)
            report.removedFiles.append(name)
        }

        var readers: [UInt64: SegmentReader] = [:]
        for number in manifest.segments {
            let file = try PosixFile(path: path + "/" + Manifest.segmentName(number))
            readers[number] = SegmentReader(number: number, file: file)
        }
        let active = readers[manifest.segments.last!]!
        self.readers = readers
        self.active = active
        self.activeEnd = try active.file.size()
        self.nextTxnID = manifest.checkpointTxnID + 1

        var replayFrom = (segment: manifest.replaySegment, offset: manifest.replayOffset)
        var index: IndexFile?
        if manifest.indexFile > 0 {
            do {
                index = try IndexFile(path: path + "/" + Manifest.indexName(manifest.indexFile))
            } catch {
                // The checkpoint is only a cache of the log: rebuild it from the whole log.
                report.rebuiltIndex = true
                report.damage.append(DamagedRange(segment: 0, offset: 0, length: 0, reason: "\(error)"))
                replayFrom = (manifest.segments.first!, 0)
            }
        }
        self.manifest = manifest
        self.index = index
        self.recovery = report
        try replay(from: replayFrom)
        for reader in readers.values where reader !== active { reader.remap() }
        if mustRollOnOpen { try rollSegment() }
        if recovery.rebuiltIndex { try writeCheckpoint() }
    }

    /// Replays the log from `start` into the memtable, truncating a torn tail of the last segment.
    private func replay(from start: (segment: UInt64, offset: UInt64)) throws(StorageError) {
        guard let first = manifest.segments.firstIndex(of: start.segment) else {
            throw .damagedFile(path: path + "/" + Manifest.fileName, reason: "replay segment \(start.segment) is not in the segment list")
        }
        let segments = Array(manifest.segments[first...])
        for (i, number) in segments.enumerated() {
            let isLast = i == segments.count - 1
            let reader = readers[number]!
            let size = try reader.file.size()
            let from = number == start.segment ? start.offset : 0
            guard from <= size else {
                // The segment lost bytes the checkpoint covers (truncated by something outside us).
                // Open anyway: what survives stays readable, the loss is reported, and new writes go
                // to a fresh segment so no offset the index knows is ever reused.
                recovery.damage.append(DamagedRange(segment: number, offset: size, length: from - size,
                                                    reason: "segment is \(from - size) bytes shorter than the index checkpoint says; records there are lost"))
                if isLast {
                    activeEnd = size
                    activeAllocated = size
                    mustRollOnOpen = true
                }
                continue
            }
            let bytes = try reader.file.read(count: Int(size - from), at: from)
            var assembler = TransactionAssembler(segment: number)
            let scan = bytes.withUnsafeBytes {
                RecordScanner(segment: number, bytes: $0, baseOffset: from, verifyValues: isLast).scan()
            }
            for record in scan.records { assembler.add(record) }
            var transactions = assembler.complete
            var goodEnd = transactions.last?.end ?? from
            if isLast {
                // Damage inside the final group-commit batch is a torn write of commits that were never
                // acknowledged: cut the log at the first damage so what remains is exactly a prefix.
                // Damage before the final batch was fsynced long ago: it is kept and reported.
                let damagePoints = scan.damage.map(\.offset) + assembler.incomplete.map(\.offset)
                    + transactions.filter { !$0.valuesIntact }.map(\.start)
                if let firstDamage = damagePoints.min(), firstDamage >= (transactions.last?.batchStart ?? from) {
                    transactions = transactions.filter { $0.end <= firstDamage }
                    goodEnd = transactions.last?.end ?? from
                }
                recovery.damage += (scan.damage + assembler.incomplete).filter { $0.offset < goodEnd }
                if goodEnd < size {
                    // Zero-filled space past the log's end is preallocation, not lost data.
                    let tail = bytes[Int(goodEnd - from)...]
                    let lastNonZero = tail.lastIndex { $0 != 0 }.map { UInt64($0 + 1) + from } ?? goodEnd
                    try reader.file.truncate(to: goodEnd)
                    try reader.file.syncAll()
                    recovery.truncatedBytes += lastNonZero - goodEnd
                }
                activeEnd = goodEnd
                activeAllocated = goodEnd
            } else {
                recovery.damage += scan.damage + assembler.incomplete
                if !assembler.trailing.isEmpty, let firstOp = assembler.trailing.first {
                    recovery.damage.append(DamagedRange(segment: number, offset: firstOp.offset, length: scan.end - firstOp.offset,
                                                        reason: "transaction \(firstOp.header.txnID) has no commit record"))
                }
            }
            for txn in transactions {
                apply(txn, segment: number)
                recovery.replayedTransactions += 1
                nextTxnID = max(nextTxnID, txn.txnID + 1)
            }
        }
    }

    private func apply(_ txn: TransactionAssembler.Transaction, segment: UInt64) {
        for op in txn.ops {
            let key = CompositeKey(collection: op.collection, key: op.key)
            if memtable.versions[key]?.contains(where: { $0.version == op.header.version }) == true { continue }
            memtable.insert(key, IndexEntry(
                kind: op.header.kind, flags: op.header.flags, version: op.header.version,
                segment: segment, recordOffset: op.offset, valueOffset: UInt32(op.header.valueOffset),
                valueLength: op.header.valueLength, versionHash: op.header.versionHash))
        }
    }

    /// Writes a final checkpoint (so the next open replays nothing) and releases the lock.
    /// Further calls fail with `.closed`.
    public func close() throws(StorageError) {
        try withLeadership { () throws(StorageError) in
            guard !isClosed else { return }
            if failure == nil && !memtable.isEmpty && !isCompacting { try writeCheckpoint() }
            if failure == nil { try trimActiveSegment() }
            state.write { isClosed = true }
            directoryLock.release()
        }
    }

    /// Counts and sizes.
    public func statistics() -> DatabaseStatistics {
        state.read {
            let bytes = manifest.segments.reduce(UInt64(0)) { $0 + ((try? readers[$1]?.file.size()) ?? 0) }
            return DatabaseStatistics(segments: manifest.segments.count, segmentBytes: bytes,
                                      checkpointEntries: index?.entryCount ?? 0, memtableEntries: memtable.entryCount,
                                      lastTxnID: nextTxnID - 1, activeSegment: active.number, activeSegmentEnd: activeEnd,
                                      transactionsCommitted: transactionsCommitted, commitBatches: commitBatches)
        }
    }
}
