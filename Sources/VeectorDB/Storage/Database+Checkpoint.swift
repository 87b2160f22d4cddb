extension Database {
    /// Writes the index checkpoint now: merges the memtable into a new index file and moves the
    /// replay point to the end of the log. Normally automatic (every `checkpointEntries` versions
    /// and at close); exposed for tools and tests.
    public func checkpoint() throws(StorageError) {
        try withLeadership { () throws(StorageError) in
            if isClosed { throw .closed }
            guard !isCompacting else { return }
            try writeCheckpoint()
        }
    }

    /// The checkpoint itself; the caller is the leader.
    func writeCheckpoint() throws(StorageError) {
        guard !memtable.isEmpty || index == nil || recovery.rebuiltIndex else { return }
        let memKeys = state.read { sortedMemtableKeys() }
        let old = index
        // Merge order: (source, position). Files come first for equal keys (older versions).
        enum Ref { case file(Int), mem(Int, Int) }
        var refs: [Ref] = []
        refs.reserveCapacity((old?.entryCount ?? 0) + memtable.entryCount)
        var f = 0, m = 0
        let fileCount = old?.entryCount ?? 0
        while f < fileCount || m < memKeys.count {
            let takeFile: Bool
            if f >= fileCount { takeFile = false } else if m >= memKeys.count { takeFile = true } else {
                takeFile = memKeys[m].bytes.withUnsafeBytes { compareBytes(old!.keyBytes(f), $0) } <= 0
            }
            if takeFile {
                refs.append(.file(f)); f += 1
            } else {
                let count = memtable.versions[memKeys[m]]!.count
                for v in 0..<count { refs.append(.mem(m, v)) }
                m += 1
            }
        }
        let number = manifest.nextFileNumber
        let lastTxn = state.read { nextTxnID - 1 }
        try IndexFile.write(path: path + "/" + Manifest.indexName(number), directory: path,
                            count: refs.count, lastTxnID: lastTxn) { i in
            switch refs[i] {
            case let .file(j): return (Array(old!.keyBytes(j)), old!.entry(j))
            case let .mem(k, v): return (memKeys[k].bytes, memtable.versions[memKeys[k]]![v])
            }
        }
        var next = manifest
        next.generation += 1
        next.nextFileNumber += 1
        next.indexFile = number
        next.replaySegment = active.number
        next.replayOffset = activeEnd
        next.checkpointTxnID = lastTxn
        try FileSystem.writeAtomically(next.encode(), to: path + "/" + Manifest.fileName, directory: path)
        let fresh = try IndexFile(path: path + "/" + Manifest.indexName(number))
        let oldNumber = manifest.indexFile
        state.write {
            manifest = next
            index = fresh
            memtable = MemTable()
            invalidateSortedKeys()
            recovery.rebuiltIndex = false
        }
        if oldNumber > 0 { FileSystem.remove(path + "/" + Manifest.indexName(oldNumber)) }
    }
}
