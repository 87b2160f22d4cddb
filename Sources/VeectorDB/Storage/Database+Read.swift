extension Database {
    /// The newest version of `key` (call with `state` held).
    func latestEntry(_ key: CompositeKey) -> IndexEntry? {
        if let e = memtable.latest(key) { return e }
        guard let index else { return nil }
        let r = index.versions(of: key.bytes)
        return r.isEmpty ? nil : index.entry(r.upperBound - 1)
    }

    /// Every version of `key`, oldest first (call with `state` held).
    func allVersions(_ key: CompositeKey) -> [IndexEntry] {
        var result: [IndexEntry] = []
        if let index {
            for i in index.versions(of: key.bytes) { result.append(index.entry(i)) }
        }
        if let mem = memtable.versions[key] { result += mem }
        return result
    }

    /// Drops the sorted view of the memtable's keys (call with `state` held for writing).
    func invalidateSortedKeys() { sortedKeysCache = nil }

    /// The memtable's keys in order (call with `state` held for reading).
    func sortedMemtableKeys() -> [CompositeKey] {
        sortedKeysLock.withLock {
            if let sortedKeysCache { return sortedKeysCache }
            let keys = memtable.versions.keys.sorted()
            sortedKeysCache = keys
            return keys
        }
    }

    private func checkOpen() throws(StorageError) {
        if isClosed { throw .closed }
    }

    /// The newest version of `key` and the segment holding it, unless absent or deleted.
    private func liveLatest(_ collection: String, _ key: [UInt8]) throws(StorageError) -> (IndexEntry, SegmentReader)? {
        let ck = CompositeKey(collection: Array(collection.utf8), key: key)
        return try state.read { () throws(StorageError) in
            try checkOpen()
            guard let e = latestEntry(ck), !e.isDeletion else { return nil }
            return (e, readers[e.segment]!)
        }
    }

    /// The newest version of `key` in `collection`, or nil if it was never written or is deleted.
    public func get(_ collection: String, _ key: [UInt8]) throws(StorageError) -> Record? {
        guard let (entry, reader) = try liveLatest(collection, key) else { return nil }
        return Record(key: key, version: entry.version, kind: entry.kind,
                      value: try readValue(entry, reader), versionHash: entry.versionHash)
    }

    /// A specific version of `key`, deletions included; nil if that version does not exist.
    public func get(_ collection: String, _ key: [UInt8], version: UInt64) throws(StorageError) -> Record? {
        let ck = CompositeKey(collection: Array(collection.utf8), key: key)
        let found: (IndexEntry, SegmentReader)? = try state.read { () throws(StorageError) in
            try checkOpen()
            guard let e = allVersions(ck).first(where: { $0.version == version }) else { return nil }
            return (e, readers[e.segment]!)
        }
        guard let (entry, reader) = found else { return nil }
        return Record(key: key, version: entry.version, kind: entry.kind,
                      value: entry.isDeletion ? [] : try readValue(entry, reader), versionHash: entry.versionHash)
    }

    /// The index entry of the newest version of `key` (deletions included), without reading the value.
    public func latest(_ collection: String, _ key: [UInt8]) -> IndexEntry? {
        let ck = CompositeKey(collection: Array(collection.utf8), key: key)
        return state.read { latestEntry(ck) }
    }

    /// Every version of `key`, oldest first, deletions included.
    public func history(_ collection: String, _ key: [UInt8]) -> [IndexEntry] {
        let ck = CompositeKey(collection: Array(collection.utf8), key: key)
        return state.read { allVersions(ck) }
    }

    /// Reads the value of the version `entry` describes, verifying its checksums.
    public func value(of entry: IndexEntry) throws(StorageError) -> [UInt8] {
        let reader: SegmentReader? = state.read { readers[entry.segment] }
        guard let reader else {
            throw .damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "segment no longer exists (the entry is stale)")
        }
        return try readValue(entry, reader)
    }

    /// Maps the value of an aligned record in place (no copy), after verifying its checksum.
    /// The mapping stays valid for as long as the returned object is held, even across compaction.
    public func mappedValue(of entry: IndexEntry) throws(StorageError) -> FileMapping {
        let reader: SegmentReader? = state.read { readers[entry.segment] }
        guard let reader else {
            throw .damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "segment no longer exists (the entry is stale)")
        }
        let header = try readHeader(entry, reader)
        let mapping = try reader.map(offset: entry.recordOffset + UInt64(entry.valueOffset), count: Int(entry.valueLength))
        guard CRC32C.checksum(mapping.bytes) == header.valueCRC else {
            throw .damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "value checksum mismatch")
        }
        return mapping
    }

    private func readHeader(_ entry: IndexEntry, _ reader: SegmentReader) throws(StorageError) -> RecordHeader {
        let length = Int(entry.valueOffset)
        do {
            return try reader.withBytes(at: entry.recordOffset, count: length) { b throws(StorageError) -> RecordHeader in
                guard let h = RecordHeader.decode(b), CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[8..<(8 + h.checkedLength)])) == h.headerCRC,
                      h.version == entry.version, h.valueLength == entry.valueLength else {
                    throw StorageError.damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "record header checksum mismatch")
                }
                return h
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "\(error)")
        }
    }

    func readValue(_ entry: IndexEntry, _ reader: SegmentReader) throws(StorageError) -> [UInt8] {
        try withVerifiedValue(entry, reader) { Array($0) }
    }

    /// Calls `body` with a view of the value (mapped or read once), after checking the record's
    /// header and value checksums. The view is valid only inside `body`.
    func withVerifiedValue<R>(_ entry: IndexEntry, _ reader: SegmentReader,
                              _ body: (UnsafeRawBufferPointer) -> R) throws(StorageError) -> R {
        let total = Int(entry.valueOffset) + Int(entry.valueLength)
        return try storageErrors {
            try reader.withBytes(at: entry.recordOffset, count: total) { b throws -> R in
                guard let h = RecordHeader.decode(b), h.checkedLength + 8 <= b.count,
                      CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[8..<(8 + h.checkedLength)])) == h.headerCRC,
                      h.version == entry.version, h.valueLength == entry.valueLength else {
                    throw StorageError.damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "record header checksum mismatch")
                }
                let value = UnsafeRawBufferPointer(rebasing: b[Int(entry.valueOffset)...])
                guard CRC32C.checksum(value) == h.valueCRC else {
                    throw StorageError.damagedRecord(segment: entry.segment, offset: entry.recordOffset, reason: "value checksum mismatch")
                }
                return body(value)
            }
        }
    }

    /// Calls `body` with the newest value of `key` without copying it (checksums verified first);
    /// returns nil if the key is absent or deleted. The view is valid only inside `body`.
    public func withValue<R>(_ collection: String, _ key: [UInt8],
                             _ body: (IndexEntry, UnsafeRawBufferPointer) -> R) throws(StorageError) -> R? {
        guard let (entry, reader) = try liveLatest(collection, key) else { return nil }
        return try withVerifiedValue(entry, reader) { body(entry, $0) }
    }

    /// The newest version of every key in `range` of `collection`, in key order.
    /// Deleted keys are left out unless `includeDeleted`.
    public func scan(_ collection: String, range: KeyRange = .all, includeDeleted: Bool = false, limit: Int = .max) -> [KeyEntry] {
        var result: [KeyEntry] = []
        forEachLatest(collection, range: range) { key, entry in
            if includeDeleted || !entry.isDeletion { result.append(KeyEntry(key: key, entry: entry)) }
            return result.count < limit
        }
        return result
    }

    /// Visits the newest version of every key in `range` in key order, reading values too;
    /// `body` returns false to stop. Deleted keys are skipped.
    public func forEach(_ collection: String, range: KeyRange = .all, _ body: (Record) throws -> Bool) throws {
        let entries = scan(collection, range: range)
        for item in entries {
            let value = try self.value(of: item.entry)
            if try !body(Record(key: item.key, version: item.entry.version, kind: item.entry.kind, value: value, versionHash: item.entry.versionHash)) { return }
        }
    }

    /// Merges the checkpoint and the memtable: newest version per key, in key order.
    func forEachLatest(_ collection: String, range: KeyRange, _ body: ([UInt8], IndexEntry) -> Bool) {
        let prefix = CompositeKey.prefix(collection: Array(collection.utf8))
        let lowerBytes = prefix + (range.lower ?? [])
        let upperBytes: [UInt8]? = range.upper.map { prefix + $0 } ?? KeyRange.prefix(prefix).upper
        state.read {
            let memKeys = sortedMemtableKeys()
            var m = MemTable.lowerBound(memKeys, lowerBytes)
            var f = index.map { idx in lowerBytes.withUnsafeBytes { idx.lowerBound($0) } } ?? 0
            let fileCount = index?.entryCount ?? 0
            func inRange(_ b: UnsafeRawBufferPointer) -> Bool {
                guard let upperBytes else { return true }
                return upperBytes.withUnsafeBytes { compareBytes(b, $0) < 0 }
            }
            while true {
                let fileKey: UnsafeRawBufferPointer? = (f < fileCount && inRange(index!.keyBytes(f))) ? index!.keyBytes(f) : nil
                let memKey: CompositeKey? = (m < memKeys.count && memKeys[m].bytes.withUnsafeBytes { inRange($0) }) ? memKeys[m] : nil
                if fileKey == nil && memKey == nil { return }
                let order: Int
                if let fileKey, let memKey { order = memKey.bytes.withUnsafeBytes { compareBytes(fileKey, $0) } } else { order = fileKey != nil ? -1 : 1 }
                var entry: IndexEntry
                let key: [UInt8]
                if order <= 0, let fileKey {
                    // Skip to the file's last version of this key.
                    var last = f
                    while last + 1 < fileCount && compareBytes(index!.keyBytes(last + 1), fileKey) == 0 { last += 1 }
                    entry = index!.entry(last)
                    key = Array(fileKey[(prefix.count)...])
                    f = last + 1
                    if order == 0 {
                        entry = memtable.latest(memKey!)!
                        m += 1
                    }
                } else {
                    entry = memtable.latest(memKey!)!
                    key = Array(memKey!.bytes[prefix.count...])
                    m += 1
                }
                if !body(key, entry) { return }
            }
        }
    }
}
