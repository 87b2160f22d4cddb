/// The index of everything written since the last checkpoint: composite key → versions (oldest first).
/// Bounded by `DatabaseOptions.checkpointEntries`; a checkpoint merges it into a new `IndexFile`.
struct MemTable {
    private(set) var versions: [CompositeKey: [IndexEntry]] = [:]
    private(set) var entryCount = 0

    var isEmpty: Bool { entryCount == 0 }

    /// Adds one version (kept in version order).
    mutating func insert(_ key: CompositeKey, _ entry: IndexEntry) {
        entryCount += 1
        if var list = versions[key] {
            versions[key] = nil
            if let last = list.last, last.version > entry.version {
                let at = list.firstIndex { $0.version > entry.version }!
                list.insert(entry, at: at)
            } else {
                list.append(entry)
            }
            versions[key] = list
        } else {
            versions[key] = [entry]
        }
    }

    /// The newest version of `key`, if written since the checkpoint.
    func latest(_ key: CompositeKey) -> IndexEntry? { versions[key]?.last }

    /// Index of the first sorted key ≥ `bytes`.
    static func lowerBound(_ keys: [CompositeKey], _ bytes: [UInt8]) -> Int {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if compareBytes(keys[mid].bytes, bytes) < 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
