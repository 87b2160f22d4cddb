/// What a compaction did.
public struct CompactionReport: Sendable, Codable, Equatable {
    /// Segment bytes before and after.
    public var bytesBefore: UInt64 = 0
    public var bytesAfter: UInt64 = 0
    /// Record versions copied and dropped.
    public var versionsKept = 0
    public var versionsDropped = 0
    /// Segment files before and after (the active segment included).
    public var segmentsBefore = 0
    public var segmentsAfter = 0
}

extension Database {
    /// Rewrites every sealed segment keeping only what the collections' policies keep (and dropping
    /// purged keys), then switches to the new files atomically. Readers are never blocked; writers
    /// only for two short moments (the start, and the switch).
    ///
    /// Crash-safe: until the new manifest is in place the old files are untouched, and files left by
    /// an interrupted compaction are removed at the next open.
    public func compact() throws(StorageError) -> CompactionReport {
        var report = CompactionReport()
        // Phase 1: checkpoint everything and seal the active segment, so the snapshot is one file.
        let start: (IndexFile?, [UInt64]) = try withLeadership { () throws(StorageError) in
            if isClosed { throw .closed }
            if let failure { throw .needsReopen(reason: failure) }
            guard !isCompacting else { throw .invalidArgument("a compaction is already running") }
            if !memtable.isEmpty { try writeCheckpoint() }
            if activeEnd > 0 { try rollSegment() }
            state.write { isCompacting = true }
            return (index, Array(manifest.segments.dropLast()))
        }
        let (snapshot, sealed) = start
        var finished = false
        defer { if !finished { state.write { isCompacting = false } } }
        report.segmentsBefore = sealed.count + 1
        report.bytesBefore = sealed.reduce(0) { $0 + ((try? readers[$1]?.file.size()) ?? 0) }
        guard let snapshot, !sealed.isEmpty else {
            report.bytesAfter = report.bytesBefore
            report.segmentsAfter = report.segmentsBefore
            return report
        }

        // Phase 2: copy what stays into new segments (no lock held; writers continue elsewhere).
        var writer = CompactionWriter(database: self)
        var kept: [(key: [UInt8], entry: IndexEntry)] = []
        var i = 0
        do throws(StorageError) {
            while i < snapshot.entryCount {
                let keyBytes = snapshot.keyBytes(i)
                var end = i + 1
                while end < snapshot.entryCount && compareBytes(snapshot.keyBytes(end), keyBytes) == 0 { end += 1 }
                let key = Array(keyBytes)
                let versions = (i..<end).map(snapshot.entry)
                let survivors = survivingVersions(versions, collection: CompositeKey(bytes: key))
                report.versionsDropped += versions.count - survivors.count
                for entry in survivors {
                    let moved = try writer.copy(entry, key: key)
                    kept.append((key, moved))
                }
                report.versionsKept += survivors.count
                i = end
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }

        // Phase 3: the new checkpoint for the copied records, then the switch.
        try withLeadership { () throws(StorageError) in
            let indexNumber = manifest.nextFileNumber
            try IndexFile.write(path: path + "/" + Manifest.indexName(indexNumber), directory: path,
                                count: kept.count, lastTxnID: snapshot.lastTxnID) { kept[$0] }
            let newIndex = try IndexFile(path: path + "/" + Manifest.indexName(indexNumber))
            var next = manifest
            let live = Array(manifest.segments.drop { sealed.contains($0) })
            next.generation += 1
            next.nextFileNumber = max(next.nextFileNumber, indexNumber + 1)
            next.segments = writer.outputs + live
            next.indexFile = indexNumber
            next.replaySegment = live.first!
            next.replayOffset = 0
            next.checkpointTxnID = snapshot.lastTxnID
            try FileSystem.writeAtomically(next.encode(), to: path + "/" + Manifest.fileName, directory: path)
            let oldIndex = manifest.indexFile
            var newReaders: [UInt64: SegmentReader] = [:]
            for n in writer.outputs {
                let r = SegmentReader(number: n, file: try PosixFile(path: path + "/" + Manifest.segmentName(n)))
                r.remap()
                newReaders[n] = r
            }
            state.write {
                manifest = next
                index = newIndex
                for n in sealed { readers[n] = nil }
                readers.merge(newReaders) { $1 }
                isCompacting = false
            }
            finished = true
            for n in sealed { FileSystem.remove(path + "/" + Manifest.segmentName(n)) }
            if oldIndex > 0 { FileSystem.remove(path + "/" + Manifest.indexName(oldIndex)) }
        }
        report.segmentsAfter = writer.outputs.count + 1
        report.bytesAfter = writer.outputs.reduce(0) { $0 + ((try? readers[$1]?.file.size()) ?? 0) }
        return report
    }

    /// Which versions of one key survive compaction, given its collection's policy.
    func survivingVersions(_ versions: [IndexEntry], collection key: CompositeKey) -> [IndexEntry] {
        if versions.contains(where: { $0.kind == .purge }) { return [] }
        let name = String(decoding: key.collection, as: UTF8.self)
        let policy = options.policies[name] ?? .keepAll
        if policy.dropDeletedKeys, versions.last?.isDeletion == true { return [] }
        if let n = policy.keepVersions { return Array(versions.suffix(n)) }
        return versions
    }
}

/// Appends copied records to new segment files, grouping them into transactions with ID 0
/// ("compacted") so the log stays replayable on its own if the index is ever lost.
struct CompactionWriter {
    let database: Database
    private(set) var outputs: [UInt64] = []
    private var file: PosixFile?
    private var number: UInt64 = 0
    private var offset: UInt64 = 0
    private var buffer = ByteWriter(capacity: 1 << 20)
    private var bufferStart: UInt64 = 0
    private var opsInGroup: UInt32 = 0
    private var groupCRC: UInt32 = 0
    private var groupStart: UInt64 = 0

    init(database: Database) { self.database = database }

    /// Copies one record version and returns its new index entry.
    mutating func copy(_ entry: IndexEntry, key composite: [UInt8]) throws(StorageError) -> IndexEntry {
        let total = Int(entry.valueOffset) + Int(entry.valueLength)
        if file == nil || offset + UInt64(total) + 256 > database.options.segmentSize && offset > 0 {
            try startSegment()
        }
        guard let reader = database.state.read({ database.readers[entry.segment] }) else {
            throw .damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "segment vanished during compaction")
        }
        let ck = CompositeKey(bytes: composite)
        let collection = Array(ck.collection)
        let key = Array(ck.key)
        let (old, value): (RecordHeader?, [UInt8]) = try storageErrors {
            try reader.withBytes(at: entry.recordOffset, count: total) { b in
                (RecordHeader.decode(b), Array(b[Int(entry.valueOffset)...]))
            }
        }
        // The value's original checksum is kept, so a damaged value stays detectably damaged.
        var header = RecordHeader(kind: entry.kind, flags: entry.flags, collectionLength: UInt8(collection.count),
                                  keyLength: UInt16(key.count), valueLength: entry.valueLength,
                                  valueCRC: old?.valueCRC ?? 0, txnID: 0, version: entry.version,
                                  opIndex: opsInGroup, versionHash: entry.versionHash)
        let recordOffset = offset
        if opsInGroup == 0 { groupStart = offset }
        let before = buffer.bytes.count
        header.encode(into: &buffer, collection: collection, key: key, fileOffset: recordOffset)
        buffer.raw(value)
        buffer.zeros(header.totalLength - header.valueOffset - value.count)
        offset += UInt64(buffer.bytes.count - before)
        groupCRC = withUnsafeBytes(of: header.headerCRC.littleEndian) { CRC32C.checksum($0, continuing: groupCRC) }
        opsInGroup += 1
        if buffer.bytes.count >= 1 << 20 { try flush() }
        var moved = entry
        moved.segment = number
        moved.recordOffset = recordOffset
        moved.valueOffset = UInt32(header.valueOffset)
        return moved
    }

    private mutating func closeGroup() {
        guard opsInGroup > 0 else { return }
        var commit = RecordHeader(kind: .commit, collectionLength: 0, keyLength: 0, valueLength: 0, valueCRC: groupCRC,
                                  txnID: 0, version: 0, opIndex: opsInGroup,
                                  batchDistance: UInt32(clamping: offset - groupStart), versionHash: .zero)
        let before = buffer.bytes.count
        commit.encode(into: &buffer, collection: [], key: [], fileOffset: offset)
        offset += UInt64(buffer.bytes.count - before)
        opsInGroup = 0
        groupCRC = 0
    }

    private mutating func flush() throws(StorageError) {
        closeGroup()
        guard let file else { return }
        try file.write(buffer.bytes, at: bufferStart)
        bufferStart += UInt64(buffer.bytes.count)
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    private mutating func startSegment() throws(StorageError) {
        try finishSegment()
        number = try database.withLeadership { () throws(StorageError) in
            let n = database.manifest.nextFileNumber
            database.state.write { database.manifest.nextFileNumber += 1 }
            return n
        }
        file = try PosixFile(path: database.path + "/" + Manifest.segmentName(number), create: true)
        outputs.append(number)
        offset = 0
        bufferStart = 0
    }

    private mutating func finishSegment() throws(StorageError) {
        try flush()
        try file?.syncAll()
    }

    /// Flushes and fsyncs everything written.
    mutating func finish() throws(StorageError) {
        try finishSegment()
        try FileSystem.syncDirectory(database.path)
    }

    /// Removes the files of a compaction that failed.
    func abandon() {
        for n in outputs { FileSystem.remove(database.path + "/" + Manifest.segmentName(n)) }
    }
}
