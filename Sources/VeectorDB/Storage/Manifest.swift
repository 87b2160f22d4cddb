/// The database's table of contents: which segment files hold the log (in log order), which index
/// checkpoint covers its beginning, and where replay starts. Replaced atomically (temp file, fsync,
/// rename, fsync directory) whenever it changes; a segment or index file not named here is left
/// over from an interrupted operation and is removed at open (see Spec/veectordb.md, "Manifest").
struct Manifest: Equatable {
    static let magic: UInt32 = 0x4D42_4456 // "VDBM"
    static let formatVersion: UInt32 = 1
    static let fileName = "MANIFEST"

    /// Incremented on every rewrite.
    var generation: UInt64 = 0
    /// The next segment or index file number to hand out.
    var nextFileNumber: UInt64 = 1
    /// Segment numbers in log order.
    var segments: [UInt64] = []
    /// The index checkpoint file number, 0 if none yet.
    var indexFile: UInt64 = 0
    /// Replay starts at this segment (number) and offset; everything before it is in the index file.
    var replaySegment: UInt64 = 0
    var replayOffset: UInt64 = 0
    /// The highest transaction ID covered by the index file.
    var checkpointTxnID: UInt64 = 0

    static func segmentName(_ n: UInt64) -> String { "seg-\(String(n).leftPadded(to: 8)).vlog" }
    static func indexName(_ n: UInt64) -> String { "index-\(String(n).leftPadded(to: 8)).vidx" }

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 64 + segments.count * 8)
        w.u32(Self.magic); w.u32(Self.formatVersion)
        w.u64(generation); w.u64(nextFileNumber)
        w.u64(indexFile); w.u64(replaySegment); w.u64(replayOffset); w.u64(checkpointTxnID)
        w.u32(UInt32(segments.count))
        for s in segments { w.u64(s) }
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], path: String) throws(StorageError) -> Manifest {
        try storageErrors { try bytes.withUnsafeBytes { (b) throws -> Manifest in
            guard b.count >= 64, b.le(UInt32.self, at: 0) == magic else {
                throw StorageError.damagedFile(path: path, reason: "not a VeectorDB manifest")
            }
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[0..<(b.count - 4)])) == b.le(UInt32.self, at: b.count - 4) else {
                throw StorageError.damagedFile(path: path, reason: "checksum mismatch")
            }
            guard b.le(UInt32.self, at: 4) == formatVersion else {
                throw StorageError.damagedFile(path: path, reason: "unknown format version \(b.le(UInt32.self, at: 4)) (this veenode reads version \(formatVersion))")
            }
            var r = ByteReader(b, offset: 8)
            var m = Manifest()
            m.generation = r.read(UInt64.self)!
            m.nextFileNumber = r.read(UInt64.self)!
            m.indexFile = r.read(UInt64.self)!
            m.replaySegment = r.read(UInt64.self)!
            m.replayOffset = r.read(UInt64.self)!
            m.checkpointTxnID = r.read(UInt64.self)!
            let count = Int(r.read(UInt32.self)!)
            guard r.remaining == count * 8 + 4 else { throw StorageError.damagedFile(path: path, reason: "segment list length mismatch") }
            for _ in 0..<count { m.segments.append(r.read(UInt64.self)!) }
            return m
        } }
    }
}
