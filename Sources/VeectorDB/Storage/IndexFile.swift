#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index checkpoint: every record version up to a point in the log, sorted by
/// (composite key, version), in a file that is memory-mapped rather than loaded, so a database
/// with a million records opens in milliseconds (see Spec/veectordb.md, "Index checkpoint").
///
/// Layout: a 64-byte header (magic, version, entry count, heap offset and length, last txn ID,
/// CRC-32C of the entry table and of the heap, header CRC), `entryCount` fixed 64-byte entries, then a heap of composite keys.
final class IndexFile: @unchecked Sendable {
    static let magic: UInt32 = 0x4942_4456 // "VDBI"
    static let formatVersion: UInt32 = 1
    static let headerSize = 64
    static let entrySize = 64

    let path: String
    let entryCount: Int
    let lastTxnID: UInt64
    private let base: UnsafeRawPointer?
    private let mappedLength: Int
    private let heapOffset: Int

    /// Maps and verifies the checkpoint at `path` (header and body checksums).
    init(path: String) throws(StorageError) {
        let file = try PosixFile(path: path, readOnly: true)
        let size = Int(try file.size())
        guard size >= Self.headerSize else { throw .damagedFile(path: path, reason: "shorter than its header (\(size) bytes)") }
        let p = mmap(nil, size, PROT_READ, MAP_SHARED, file.fd, 0)
        guard let p, p != MAP_FAILED else { throw .io(path: path, operation: "mmap", errno: errno) }
        let buf = UnsafeRawBufferPointer(start: p, count: size)
        func fail(_ reason: String) -> StorageError {
            munmap(p, size)
            return .damagedFile(path: path, reason: reason)
        }
        guard buf.le(UInt32.self, at: 0) == Self.magic else { throw fail("not an index checkpoint (bad magic)") }
        guard buf.le(UInt32.self, at: 4) == Self.formatVersion else { throw fail("unknown format version \(buf.le(UInt32.self, at: 4))") }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[0..<60])) == buf.le(UInt32.self, at: 60) else {
            throw fail("header checksum mismatch")
        }
        let count = Int(buf.le(UInt64.self, at: 8))
        let heapOffset = Int(buf.le(UInt64.self, at: 16))
        let heapLength = Int(buf.le(UInt64.self, at: 24))
        guard heapOffset == Self.headerSize + count * Self.entrySize, heapOffset + heapLength == size else {
            throw fail("sizes do not add up (entries \(count), heap \(heapLength), file \(size))")
        }
        let entriesCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[Self.headerSize..<heapOffset]))
        guard entriesCRC == buf.le(UInt32.self, at: 40) else { throw fail("entry table checksum mismatch") }
        let heapCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[heapOffset...]))
        guard heapCRC == buf.le(UInt32.self, at: 44) else { throw fail("key heap checksum mismatch") }
        self.path = path
        self.entryCount = count
        self.heapOffset = heapOffset
        self.lastTxnID = buf.le(UInt64.self, at: 32)
        self.base = UnsafeRawPointer(p)
        self.mappedLength = size
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), mappedLength) }
    }

    private var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: mappedLength) }

    /// The composite key of entry `i`, as a view into the mapping.
    func keyBytes(_ i: Int) -> UnsafeRawBufferPointer {
        let e = Self.headerSize + i * Self.entrySize
        let off = Int(buffer.le(UInt64.self, at: e))
        let len = Int(buffer.le(UInt32.self, at: e + 8))
        return UnsafeRawBufferPointer(rebasing: buffer[(heapOffset + off)..<(heapOffset + off + len)])
    }

    /// The composite key of entry `i`, copied.
    func key(_ i: Int) -> CompositeKey { CompositeKey(bytes: Array(keyBytes(i))) }

    /// Entry `i`.
    func entry(_ i: Int) -> IndexEntry {
        let b = buffer
        let e = Self.headerSize + i * Self.entrySize
        var hash = VersionHash.zero
        withUnsafeMutableBytes(of: &hash.bytes) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[(e + 48)..<(e + 64)])) }
        return IndexEntry(
            kind: RecordKind(rawValue: b[e + 12]) ?? .put, flags: b[e + 13],
            version: b.le(UInt64.self, at: e + 16), segment: b.le(UInt64.self, at: e + 24),
            recordOffset: b.le(UInt64.self, at: e + 32), valueOffset: b.le(UInt32.self, at: e + 44),
            valueLength: b.le(UInt32.self, at: e + 40), versionHash: hash)
    }

    /// The version of entry `i` without decoding the rest.
    func version(_ i: Int) -> UInt64 { buffer.le(UInt64.self, at: Self.headerSize + i * Self.entrySize + 16) }

    /// The first entry whose (key, version) is ≥ (`key`, `version`).
    func lowerBound(_ key: UnsafeRawBufferPointer, version: UInt64 = 0) -> Int {
        var lo = 0, hi = entryCount
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = compareBytes(keyBytes(mid), key)
            if c < 0 || (c == 0 && self.version(mid) < version) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Indices of all versions of `key`, oldest first.
    func versions(of key: [UInt8]) -> Range<Int> {
        key.withUnsafeBytes { k in
            let start = lowerBound(k)
            var end = start
            while end < entryCount && compareBytes(keyBytes(end), k) == 0 { end += 1 }
            return start..<end
        }
    }

    /// Writes a checkpoint file from `count` entries produced in sorted order by `entryAt`.
    static func write(path: String, directory: String, count: Int, lastTxnID: UInt64,
                      entryAt: (Int) -> (key: [UInt8], entry: IndexEntry)) throws(StorageError) {
        let tmp = path + ".tmp"
        FileSystem.remove(tmp)
        let file = try PosixFile(path: tmp, create: true)
        let heapOffset = headerSize + count * entrySize
        var entries = ByteWriter(capacity: 1 << 20)
        var heap = ByteWriter(capacity: 1 << 20)
        var entriesWritten = UInt64(headerSize)
        var heapWritten = UInt64(heapOffset)
        var heapLength: UInt64 = 0
        var entriesCRC: UInt32 = 0
        var heapCRC: UInt32 = 0
        func flushEntries() throws(StorageError) {
            entriesCRC = CRC32C.checksum(entries.bytes, continuing: entriesCRC)
            try file.write(entries.bytes, at: entriesWritten)
            entriesWritten += UInt64(entries.bytes.count)
            entries.bytes.removeAll(keepingCapacity: true)
        }
        func flushHeap() throws(StorageError) {
            heapCRC = CRC32C.checksum(heap.bytes, continuing: heapCRC)
            try file.write(heap.bytes, at: heapWritten)
            heapWritten += UInt64(heap.bytes.count)
            heap.bytes.removeAll(keepingCapacity: true)
        }
        for i in 0..<count {
            let (key, e) = entryAt(i)
            entries.u64(heapLength); entries.u32(UInt32(key.count))
            entries.u8(e.kind.rawValue); entries.u8(e.flags); entries.u16(0)
            entries.u64(e.version); entries.u64(e.segment); entries.u64(e.recordOffset)
            entries.u32(e.valueLength); entries.u32(e.valueOffset)
            withUnsafeBytes(of: e.versionHash.bytes) { entries.raw($0) }
            heap.raw(key)
            heapLength += UInt64(key.count)
            if entries.bytes.count >= 1 << 20 { try flushEntries() }
            if heap.bytes.count >= 1 << 20 { try flushHeap() }
        }
        try flushEntries()
        try flushHeap()
        var header = ByteWriter(capacity: headerSize)
        header.u32(magic); header.u32(formatVersion)
        header.u64(UInt64(count)); header.u64(UInt64(heapOffset)); header.u64(heapLength)
        header.u64(lastTxnID); header.u32(entriesCRC); header.u32(heapCRC); header.zeros(60 - 48)
        header.u32(CRC32C.checksum(header.bytes))
        try file.write(header.bytes, at: 0)
        try file.syncAll()
        guard rename(tmp, path) == 0 else { throw .io(path: path, operation: "rename", errno: errno) }
        try FileSystem.syncDirectory(directory)
    }
}
