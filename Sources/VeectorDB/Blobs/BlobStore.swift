import ContentID

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
    /// `compress` tries zstd and keeps the result only if it is smaller.
    @discardableResult
    public func stageChunk(_ bytes: UnsafeRawBufferPointer, compress: Bool, into transaction: inout Transaction) -> CID {
        let cid = CID.sha256(of: bytes)
        guard database.latest(Self.chunks, cid.bytes)?.kind != .put else { return cid }
        var value: [UInt8]
        if compress, bytes.count >= 64 {
            let packed = Zstd.compress(bytes)
            if packed.count < bytes.count - bytes.count / 32 {
                value = [1] + packed
            } else {
                value = [0] + Array(bytes)
            }
        } else {
            value = [0] + Array(bytes)
        }
        transaction.put(Self.chunks, cid.bytes, value)
        return cid
    }

    /// Adds one chunk given as an array.
    @discardableResult
    public func stageChunk(_ bytes: [UInt8], compress: Bool, into transaction: inout Transaction) -> CID {
        bytes.withUnsafeBytes { stageChunk($0, compress: compress, into: &transaction) }
    }

    /// Reads a chunk and checks it against its CID.
    public func chunk(_ cid: CID, expectedLength: Int? = nil) throws(BlobError) -> [UInt8] {
        let record: Record?
        do { record = try database.get(Self.chunks, cid.bytes) } catch { throw .storage(error) }
        guard let record, let encoding = record.value.first else { throw .notFound(cid) }
        let payload = Array(record.value.dropFirst())
        let bytes: [UInt8]
        switch encoding {
        case 0: bytes = payload
        case 1:
            guard let expectedLength else { throw .corrupt("compressed chunk \(cid) read without its length") }
            bytes = try Zstd.decompress(payload, expectedSize: expectedLength)
        default: throw .corrupt("chunk \(cid) has unknown encoding \(encoding)")
        }
        guard CID.sha256(of: bytes) == cid else { throw .corrupt("chunk \(cid) does not match its content ID") }
        return bytes
    }

    /// Whether a chunk is stored.
    public func hasChunk(_ cid: CID) -> Bool { database.latest(Self.chunks, cid.bytes)?.kind == .put }

    // MARK: Whole blobs

    /// Stores `bytes` (once: an already stored blob costs nothing) and returns its CID.
    @discardableResult
    public func put(_ bytes: [UInt8], layout: Layout = .chunked(compress: true)) throws(BlobError) -> CID {
        try blobErrors { try bytes.withUnsafeBytes { try put($0, layout: layout) } }
    }

    /// Stores the bytes in `buffer` and returns their CID.
    @discardableResult
    public func put(_ buffer: UnsafeRawBufferPointer, layout: Layout = .chunked(compress: true)) throws(BlobError) -> CID {
        let cid = CID.sha256(of: buffer)
        if database.latest(Self.manifests, cid.bytes)?.kind == .put {
            return cid
        }
        var txn = Transaction()
        var manifest = BlobManifest(length: UInt64(buffer.count), layout: layout == .aligned ? .aligned : .chunked, chunks: [])
        switch layout {
        case .aligned:
            txn.put(Self.alignedData, cid.bytes, Array(buffer), aligned: true)
        case let .chunked(compress):
            for range in chunker.chunkBoundaries(buffer) {
                let piece = UnsafeRawBufferPointer(rebasing: buffer[range])
                let chunkCID = stageChunk(piece, compress: compress, into: &txn)
                manifest.chunks.append(.init(cid: chunkCID, length: UInt32(range.count)))
            }
        }
        txn.put(Self.manifests, cid.bytes, manifest.encode())
        do { try database.commit(txn) } catch { throw .storage(error) }
        return cid
    }

    /// Reads a whole blob, verifying every chunk and the whole against their CIDs.
    public func get(_ cid: CID) throws(BlobError) -> [UInt8] {
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
            for c in manifest.chunks { out += try chunk(c.cid, expectedLength: Int(c.length)) }
        }
        guard out.count == Int(manifest.length), CID.sha256(of: out) == cid else {
            throw .corrupt("blob \(cid) does not match its content ID")
        }
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
