/// A transaction waiting in the group-commit queue.
final class PendingCommit: @unchecked Sendable {
    let operations: [WriteOperation]
    var result: Result<CommitReceipt, StorageError>?
    init(_ operations: [WriteOperation]) { self.operations = operations }
}

extension Database {
    /// Builds a transaction with `body` and commits it; returns once it is durable.
    @discardableResult
    public func write(_ body: (inout Transaction) throws -> Void) throws -> CommitReceipt {
        var txn = Transaction()
        try body(&txn)
        return try commit(txn)
    }

    /// Commits `transaction` atomically and durably. Concurrent callers share one fsync.
    ///
    /// On any failure (a full disk, an I/O error) nothing of the transaction is visible and every
    /// transaction committed before it is unaffected.
    @discardableResult
    public func commit(_ transaction: Transaction) throws(StorageError) -> CommitReceipt {
        for op in transaction.operations {
            let c = op.collection.utf8.count
            guard c >= 1 && c <= 255 else { throw .invalidArgument("collection names are 1–255 bytes (got \(c): '\(op.collection)')") }
            guard !op.collection.utf8.contains(0) else { throw .invalidArgument("collection names cannot contain a NUL byte") }
            guard op.key.count <= Int(UInt16.max) else { throw .invalidArgument("keys are at most 65,535 bytes (got \(op.key.count))") }
            guard op.value.count <= Int(UInt32.max) - 4096 else { throw .invalidArgument("values are at most 4 GiB (got \(op.value.count) bytes)") }
        }
        guard !transaction.isEmpty else { return CommitReceipt(txnID: 0, versions: []) }
        let me = PendingCommit(transaction.operations)
        commitQueue.lock()
        pending.append(me)
        while me.result == nil {
            if !leaderBusy {
                leaderBusy = true
                let batch = pending
                pending = []
                commitQueue.unlock()
                writeBatch(batch)
                commitQueue.lock()
                leaderBusy = false
                commitQueue.broadcast()
            } else {
                commitQueue.wait()
            }
        }
        commitQueue.unlock()
        return try me.result!.get()
    }

    /// Runs `body` as the only writer: no commit, checkpoint or compaction switch runs meanwhile.
    func withLeadership<R>(_ body: () throws(StorageError) -> R) throws(StorageError) -> R {
        commitQueue.lock()
        while leaderBusy { commitQueue.wait() }
        leaderBusy = true
        commitQueue.unlock()
        defer {
            commitQueue.lock()
            leaderBusy = false
            commitQueue.broadcast()
            commitQueue.unlock()
        }
        return try body()
    }

    /// The leader's work: encode every waiting transaction, append them with one write, fsync once,
    /// then publish them to the index.
    private func writeBatch(_ batch: [PendingCommit]) {
        let failed: StorageError? = state.read {
            if isClosed { return .closed }
            if let failure { return .needsReopen(reason: failure) }
            return nil
        }
        if let failed {
            for p in batch { p.result = .failure(failed) }
            return
        }
        do throws(StorageError) {
            // Start a new segment first if this batch would overflow the current one.
            let estimate = batch.reduce(0) { $0 + $1.operations.reduce(RecordHeader.size + 8) { $0 + RecordHeader.size + 72 + $1.collection.utf8.count + $1.key.count + $1.value.count } }
            if activeEnd > 0 && activeEnd + UInt64(estimate) > options.segmentSize { try rollSegment() }

            var w = ByteWriter(capacity: estimate)
            var txnID = state.read { nextTxnID }
            var staged: [(CompositeKey, IndexEntry)] = []
            var batchVersions: [CompositeKey: UInt64] = [:]
            var receipts: [CommitReceipt] = []
            for p in batch {
                var versions: [UInt64] = []
                var opCRCs: UInt32 = 0
                for (i, op) in p.operations.enumerated() {
                    let collection = Array(op.collection.utf8)
                    let ck = CompositeKey(collection: collection, key: op.key)
                    let previous = batchVersions[ck] ?? state.read { latestEntry(ck)?.version ?? 0 }
                    let version = previous + 1
                    batchVersions[ck] = version
                    let recordOffset = activeEnd + UInt64(w.bytes.count)
                    var header = op.value.withUnsafeBytes { value in
                        RecordHeader(kind: op.kind, flags: (op.aligned ? RecordHeader.flagAligned : 0) | (op.compressed ? RecordHeader.flagCompressed : 0),
                                     collectionLength: UInt8(collection.count), keyLength: UInt16(op.key.count),
                                     valueLength: UInt32(op.value.count), valueCRC: CRC32C.checksum(value),
                                     txnID: txnID, version: version, opIndex: UInt32(i),
                                     versionHash: .compute(collection: collection, key: op.key, version: version, kind: op.kind, valueDigest: op.valueDigest))
                    }
                    header.encode(into: &w, collection: collection, key: op.key, fileOffset: recordOffset)
                    w.raw(op.value)
                    w.zeros(header.totalLength - header.valueOffset - op.value.count)
                    opCRCs = withUnsafeBytes(of: header.headerCRC.littleEndian) { CRC32C.checksum($0, continuing: opCRCs) }
                    staged.append((ck, IndexEntry(kind: op.kind, flags: header.flags, version: version, segment: active.number,
                                                  recordOffset: recordOffset, valueOffset: UInt32(header.valueOffset),
                                                  valueLength: header.valueLength, versionHash: header.versionHash)))
                    versions.append(version)
                }
                // The distance back to the batch's start lets recovery tell a torn final batch from old damage.
                var commit = RecordHeader(kind: .commit, collectionLength: 0, keyLength: 0, valueLength: 0, valueCRC: opCRCs,
                                          txnID: txnID, version: 0, opIndex: UInt32(p.operations.count),
                                          batchDistance: UInt32(clamping: w.bytes.count), versionHash: .zero)
                commit.encode(into: &w, collection: [], key: [], fileOffset: activeEnd + UInt64(w.bytes.count))
                receipts.append(CommitReceipt(txnID: txnID, versions: versions))
                txnID += 1
            }

            let start = activeEnd
            do throws(StorageError) {
                let end = start + UInt64(w.bytes.count)
                if end > activeAllocated && w.bytes.count >= Int(Self.preallocationStep) / 4 {
                    // A large batch allocates its own blocks; zero-filling after it would only add writes.
                    activeAllocated = end
                } else if end > activeAllocated {
                    // Zero-fill ahead in 1 MiB steps: one metadata flush per step instead of per commit.
                    let target = (end + Self.preallocationStep - 1) / Self.preallocationStep * Self.preallocationStep
                    let zeroStart = max(activeAllocated, end)
                    if target > zeroStart {
                        try active.file.write([UInt8](repeating: 0, count: Int(target - zeroStart)), at: zeroStart)
                    }
                    activeAllocated = target
                }
                try active.file.write(w.bytes, at: start)
                if options.durableCommits { try active.file.syncData() }
            } catch {
                // Take the partial batch back out so the next commit starts on a clean tail.
                do {
                    try active.file.truncate(to: start)
                    activeAllocated = start
                } catch let truncateError {
                    state.write { failure = "\(truncateError)" }
                }
                if case .diskFull = error {} else { state.write { failure = failure ?? "\(error)" } }
                throw error
            }
            let nextTxn = txnID
            state.write {
                for (key, entry) in staged {
                    if memtable.versions[key] == nil { invalidateSortedKeys() }
                    memtable.insert(key, entry)
                }
                activeEnd = start + UInt64(w.bytes.count)
                nextTxnID = nextTxn
                transactionsCommitted += UInt64(batch.count)
                commitBatches += 1
            }
            for (p, r) in zip(batch, receipts) { p.result = .success(r) }
        } catch {
            for p in batch where p.result == nil { p.result = .failure(error) }
            return
        }
        if memtable.entryCount >= options.checkpointEntries && !isCompacting {
            try? writeCheckpoint()
        }
    }

    /// Zero-filled space is allocated ahead of the log's end in steps of this many bytes.
    static var preallocationStep: UInt64 { 1 << 20 }

    /// Cuts the zero-filled space after the active segment's last record (before sealing it).
    func trimActiveSegment() throws(StorageError) {
        guard activeAllocated > activeEnd else { return }
        try active.file.truncate(to: activeEnd)
        try active.file.syncAll()
        activeAllocated = activeEnd
    }

    /// Starts a new segment: create and fsync the file, then name it in a new manifest.
    func rollSegment() throws(StorageError) {
        try trimActiveSegment()
        let number = manifest.nextFileNumber
        let file = try PosixFile(path: path + "/" + Manifest.segmentName(number), create: true)
        try FileSystem.syncDirectory(path)
        var m = manifest
        m.nextFileNumber += 1
        m.generation += 1
        m.segments.append(number)
        try FileSystem.writeAtomically(m.encode(), to: path + "/" + Manifest.fileName, directory: path)
        let reader = SegmentReader(number: number, file: file)
        let old = active
        state.write {
            manifest = m
            readers[number] = reader
            active = reader
            activeEnd = 0
            activeAllocated = 0
        }
        old.remap()
    }
}
