import ContentID
import Dispatch

/// Content-addressed storage of byte strings on top of `Database`.
///
/// Every blob is named by an IPFS-compatible CIDv1 (raw codec, sha2-256 of its bytes). Large blobs
/// are split by content-defined chunking, so a blob that differs from a stored one in a few places,
/// or repeats one, costs only the chunks that are new; each chunk is itself content-addressed and
/// stored once. Model blocks use the aligned layout instead: one uncompressed record whose bytes
/// start at a 64-byte file offset and can be memory-mapped in place.
public struct BlobStore: Sendable {
    /// Where a blob's bytes go.
    public enum Layout: Sendable, Equatable {
        /// Content-defined chunks, each compressed with zstd when that makes it smaller.
        case chunked(compress: Bool)
        /// One uncompressed, 64-byte aligned record: memory-mappable (model blocks).
        case aligned
    }

    /// Collection of blob manifests: CID → layout, length and chunk list.
    public static let manifests = "blobs"
    /// Collection of chunks: chunk CID → encoding byte + payload.
    public static let chunks = "blob-chunks"
    /// Collection of aligned blobs: CID → the bytes themselves.
    public static let alignedData = "blob-aligned"

    /// The database underneath.
    public let database: Database
    /// The chunker for large blobs.
    public let chunker: ContentDefinedChunker

    /// A blob store over `database`.
    public init(database: Database, chunker: ContentDefinedChunker = ContentDefinedChunker()) {
        self.database = database
        self.chunker = chunker
    }

    // MARK: Chunks

    /// Adds one chunk to `transaction` unless it is already stored; returns its CID.
    /// `compress` tries zstd (on a sample first) and keeps the result only if it is clearly smaller.
    @discardableResult
    public func stageChunk(_ bytes: UnsafeRawBufferPointer, compress: Bool, into transaction: inout Transaction) -> CID {
        let prepared = prepareChunk(bytes, compress: compress)
        stage(prepared, into: &transaction)
        return prepared.cid
    }

    /// Adds one chunk given as an array.
    @discardableResult
    public func stageChunk(_ bytes: [UInt8], compress: Bool, into transaction: inout Transaction) -> CID {
        bytes.withUnsafeBytes { stageChunk($0, compress: compress, into: &transaction) }
    }

    /// A chunk hashed (and maybe compressed), ready to stage: the CPU-heavy part, which can run on
    /// any thread.
    struct PreparedChunk: Sendable {
        var cid: CID
        var length: Int
        /// nil when the chunk is already stored.
        var value: [UInt8]?
        var compressed = false
        var digest: ValueDigest?
    }

    func prepareChunk(_ bytes: UnsafeRawBufferPointer, compress: Bool) -> PreparedChunk {
        let cid = CID.sha256(of: bytes)
        guard !hasChunk(cid) else { return PreparedChunk(cid: cid, length: bytes.count, value: nil) }
        if compress, bytes.count >= 256, Self.worthCompressing(bytes) {
            let packed = Zstd.compress(bytes)
            if packed.count < bytes.count - bytes.count / 16 {
                return PreparedChunk(cid: cid, length: bytes.count, value: packed, compressed: true, digest: ValueDigest(of: packed))
            }
        }
        // Stored as is: the chunk's CID digest is the SHA-256 of the stored value, so reuse it.
        return PreparedChunk(cid: cid, length: bytes.count, value: Array(bytes), digest: ValueDigest(sha256: cid.sha256Digest!))
    }

    func stage(_ chunk: PreparedChunk, into transaction: inout Transaction) {
        guard let value = chunk.value else { return }
        transaction.put(Self.chunks, chunk.cid.bytes, value, compressed: chunk.compressed, valueDigest: chunk.digest)
    }

    /// Compresses a 4 KiB sample first: incompressible data (already compressed, encrypted,
    /// random) is detected for a fraction of the cost of compressing it all.
    static func worthCompressing(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 4096)])
        return Zstd.compress(sample, level: 1).count < sample.count * 15 / 16
    }

    /// Reads a chunk (its record checksums verified; with `verify`, also its SHA-256 against the CID).
    public func chunk(_ cid: CID, expectedLength: Int? = nil, verify: Bool = false) throws(BlobError) -> [UInt8] {
        var out: [UInt8] = []
        try appendChunk(cid, expectedLength: expectedLength, verify: verify, to: &out)
        return out
    }

    /// Appends a chunk's bytes to `out` without intermediate copies.
    func appendChunk(_ cid: CID, expectedLength: Int?, verify: Bool, to out: inout [UInt8]) throws(BlobError) {
        let start = out.count
        let result: Result<Void, BlobError>?
        do throws(StorageError) {
            result = try database.withValue(Self.chunks, cid.bytes) { entry, value -> Result<Void, BlobError> in
                if entry.isCompressed {
                    guard let expectedLength else { return .failure(.corrupt("compressed chunk \(cid) read without its length")) }
                    switch Result(catching: { () throws(BlobError) in try Zstd.decompress(Array(value), expectedSize: expectedLength) }) {
                    case let .success(bytes): out += bytes
                    case let .failure(error): return .failure(error)
                    }
                } else {
                    out.append(contentsOf: value)
                }
                return .success(())
            }
        } catch { throw .storage(error) }
        guard let result else { throw .notFound(cid) }
        try result.get()
        if let expectedLength, out.count - start != expectedLength {
            throw .corrupt("chunk \(cid) has \(out.count - start) bytes, its blob says \(expectedLength)")
        }
        if verify {
            let ok = out.withUnsafeBytes { CID.sha256(of: UnsafeRawBufferPointer(rebasing: $0[start...])) == cid }
            guard ok else { throw .corrupt("chunk \(cid) does not match its content ID") }
        }
    }

    /// Whether a chunk is stored.
    public func hasChunk(_ cid: CID) -> Bool { database.latest(Self.chunks, cid.bytes)?.kind == .put }

    // MARK: Whole blobs

    /// Stores `bytes` (once: an already stored blob costs nothing) and returns its CID.
    @discardableResult
    public func put(_ bytes: [UInt8], layout: Layout = .chunked(compress: true)) throws(BlobError) -> CID {
        try blobErrors { try bytes.withUnsafeBytes { try put($0, layout: layout) } }
    }

    /// Stores the bytes in `buffer` and returns their CID. The whole-blob hash and the chunking
    /// run on two threads at once.
    @discardableResult
    public func put(_ buffer: UnsafeRawBufferPointer, layout: Layout = .chunked(compress: true)) throws(BlobError) -> CID {
        var txn = Transaction()
        var manifest = BlobManifest(length: UInt64(buffer.count), layout: layout == .aligned ? .aligned : .chunked, chunks: [])
        var cid: CID
        switch layout {
        case .aligned:
            cid = CID.sha256(of: buffer)
            if contains(cid) { return cid }
            txn.put(Self.alignedData, cid.bytes, Array(buffer), aligned: true, valueDigest: ValueDigest(sha256: cid.sha256Digest!))
        case let .chunked(compress):
            // Two cores: the whole-blob hash runs beside the chunking, then both threads hash
            // (and maybe compress) half of the chunks each.
            let whole = UnsafeSendableBox<CID?>(nil)
            let ranges = UnsafeSendableBox<[Range<Int>]>([])
            let base = UnsafeSendableBox(buffer)
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 {
                    whole.value = CID.sha256(of: base.value)
                } else {
                    ranges.value = chunker.chunkBoundaries(base.value)
                }
            }
            let halves = [UnsafeSendableBox<[PreparedChunk]>([]), UnsafeSendableBox<[PreparedChunk]>([])]
            let middle = ranges.value.count / 2
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let mine = part == 0 ? ranges.value[..<middle] : ranges.value[middle...]
                halves[part].value = mine.map {
                    prepareChunk(UnsafeRawBufferPointer(rebasing: base.value[$0]), compress: compress)
                }
            }
            let prepared = UnsafeSendableBox(halves[0].value + halves[1].value)
            cid = whole.value!
            if contains(cid) { return cid }
            var staged = Set<CID>()
            for chunk in prepared.value {
                // A chunk repeated inside this blob is stored once.
                if staged.insert(chunk.cid).inserted { stage(chunk, into: &txn) }
                manifest.chunks.append(.init(cid: chunk.cid, length: UInt32(chunk.length)))
            }
        }
        txn.put(Self.manifests, cid.bytes, manifest.encode())
        do { try database.commit(txn) } catch { throw .storage(error) }
        return cid
    }

    /// Reads a whole blob. Every record is checksummed on the way; `verify` also recomputes the
    /// SHA-256 of the whole against the CID (for bytes that came from elsewhere, or paranoia).
    public func get(_ cid: CID, verify: Bool = false) throws(BlobError) -> [UInt8] {
        let manifest = try self.manifest(cid)
        var out: [UInt8] = []
        switch manifest.layout {
        case .aligned:
            let record: Record?
            do { record = try database.get(Self.alignedData, cid.bytes) } catch { throw .storage(error) }
            guard let record else { throw .notFound(cid) }
            out = record.value
        case .chunked:
            out.reserveCapacity(Int(manifest.length))
            for c in manifest.chunks { try appendChunk(c.cid, expectedLength: Int(c.length), verify: false, to: &out) }
        }
        guard out.count == Int(manifest.length) else {
            throw .corrupt("blob \(cid) has \(out.count) bytes, its manifest says \(manifest.length)")
        }
        if verify, CID.sha256(of: out) != cid { throw .corrupt("blob \(cid) does not match its content ID") }
        return out
    }

    /// Memory-maps an aligned blob in place (checksummed; the caller verifies the CID once if it needs to).
    public func map(_ cid: CID) throws(BlobError) -> FileMapping {
        guard try manifest(cid).layout == .aligned else { throw .notMappable(cid) }
        guard let entry = database.latest(Self.alignedData, cid.bytes), entry.kind == .put else { throw .notFound(cid) }
        do { return try database.mappedValue(of: entry) } catch { throw .storage(error) }
    }

    /// Whether a whole blob is stored.
    public func contains(_ cid: CID) -> Bool { database.latest(Self.manifests, cid.bytes)?.kind == .put }

    /// The manifest of a stored blob.
    public func manifest(_ cid: CID) throws(BlobError) -> BlobManifest {
        let record: Record?
        do { record = try database.get(Self.manifests, cid.bytes) } catch { throw .storage(error) }
        guard let record else { throw .notFound(cid) }
        return try BlobManifest.decode(record.value)
    }
}

/// Lets two threads of `concurrentPerform` each fill their own slot (they never touch the same one).
final class UnsafeSendableBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// How a blob is stored: its length, layout and (for chunked blobs) its chunks in order.
public struct BlobManifest: Sendable, Equatable {
    /// Layout codes as stored.
    public enum StoredLayout: UInt8, Sendable { case chunked = 1, aligned = 2 }
    /// One chunk reference.
    public struct Chunk: Sendable, Equatable {
        /// The chunk's content ID.
        public var cid: CID
        /// Its length before compression.
        public var length: UInt32
    }
    /// Total length in bytes.
    public var length: UInt64
    /// Where the bytes are.
    public var layout: StoredLayout
    /// The chunks, in order (empty for aligned blobs).
    public var chunks: [Chunk]

    /// `u8 format (1) | u8 layout | u64 length | u32 count | count × (u8 cidLength, cid, u32 length)`.
    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 14 + chunks.count * 41)
        w.u8(1); w.u8(layout.rawValue); w.u64(length); w.u32(UInt32(chunks.count))
        for c in chunks {
            let b = c.cid.bytes
            w.u8(UInt8(b.count)); w.raw(b); w.u32(c.length)
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(BlobError) -> BlobManifest {
        try blobErrors { try bytes.withUnsafeBytes { (b) throws -> BlobManifest in
            var r = ByteReader(b)
            guard r.read(UInt8.self) == 1, let l = r.read(UInt8.self), let layout = StoredLayout(rawValue: l),
                  let length = r.read(UInt64.self), let count = r.read(UInt32.self) else {
                throw BlobError.corrupt("unreadable blob manifest")
            }
            var chunks: [Chunk] = []
            for _ in 0..<count {
                guard let n = r.read(UInt8.self), let cidBytes = r.bytes(Int(n)), let len = r.read(UInt32.self),
                      let cid = try? CID(bytes: cidBytes) else { throw BlobError.corrupt("unreadable chunk reference in blob manifest") }
                chunks.append(Chunk(cid: cid, length: len))
            }
            return BlobManifest(length: length, layout: layout, chunks: chunks)
        } }
    }
}
