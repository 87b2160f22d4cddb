import ContentID

/// What a piece of content is made of, so a fetcher can verify every chunk alone before it has the
/// whole (`Spec/transfer.md`, "Manifest"): the content's CID, its total size, and each chunk's
/// sha2-256 digest and size, in order. The content is named by the CID of the whole bytes (what the
/// blob store and the DHT use); the manifest has its own identity, `id`, for callers that know it.
public struct TransferManifest: Hashable, Sendable {
    /// One chunk: its size and the sha2-256 digest of its bytes.
    public struct Chunk: Hashable, Sendable {
        /// Bytes in the chunk (1…`TransferLimits.maxChunkBytes`).
        public let size: Int
        /// SHA-256 of the chunk's bytes (32 bytes).
        public let digest: [UInt8]
        /// The chunk as a CIDv1 (raw, sha2-256): how a blob store names it.
        public var cid: CID { CID(codec: .raw, multihash: Multihash(code: Multihash.sha256Code, digest: digest)) }
    }

    /// The multicodec of a manifest's own CID (private-use range; `Spec/transfer.md`).
    public static let codec = Multicodec(rawValue: 0x30_0001)
    /// The bytes every manifest encoding starts with.
    static let magic: [UInt8] = Array("VTRM".utf8)

    /// The content this manifest describes (a sha2-256 CID of the whole bytes).
    public let content: CID
    /// Total bytes of the content.
    public let size: UInt64
    /// The chunks, in content order.
    public let chunks: [Chunk]
    /// The manifest's own CID: sha2-256 of `encoded()`, with `TransferManifest.codec`.
    public let id: CID

    /// A manifest for `content` made of `chunks` (size and digest each); checks every limit.
    public init(content: CID, chunks: [(size: Int, digest: [UInt8])]) throws(TransferError) {
        guard content.sha256Digest != nil else { throw .unsupportedCID(content.description) }
        guard chunks.count <= TransferLimits.maxChunks else { throw .tooManyChunks(chunks.count) }
        var list: [Chunk] = []
        var total: UInt64 = 0
        for c in chunks {
            guard (1...TransferLimits.maxChunkBytes).contains(c.size), c.digest.count == 32 else { throw .invalidChunkSize(c.size) }
            list.append(Chunk(size: c.size, digest: c.digest))
            total += UInt64(c.size)
        }
        self.init(unchecked: content, size: total, chunks: list)
    }

    init(unchecked content: CID, size: UInt64, chunks: [Chunk]) {
        self.content = content
        self.size = size
        self.chunks = chunks
        id = CID(codec: Self.codec, multihash: .sha256(Self.encode(content: content, size: size, chunks: chunks)))
    }

    /// Splits `bytes` into chunks of `chunkSize` (the last may be shorter): the manifest, named by
    /// the sha2-256 CID of the whole, and the chunks' bytes. For content held whole (model blocks).
    public static func splitting(_ bytes: [UInt8], chunkSize: Int) throws(TransferError) -> (manifest: TransferManifest, chunks: [[UInt8]]) {
        guard (1...TransferLimits.maxChunkBytes).contains(chunkSize) else { throw .invalidChunkSize(chunkSize) }
        var pieces: [[UInt8]] = []
        var specs: [(size: Int, digest: [UInt8])] = []
        var start = 0
        while start < bytes.count {
            let piece = Array(bytes[start ..< min(bytes.count, start + chunkSize)])
            specs.append((piece.count, Multihash.sha256(piece).digest))
            pieces.append(piece)
            start += chunkSize
        }
        return (try TransferManifest(content: .sha256(of: bytes), chunks: specs), pieces)
    }

    /// Whether `bytes` are chunk `index` (right size and digest).
    public func verifies(_ bytes: [UInt8], index: Int) -> Bool {
        guard chunks.indices.contains(index), bytes.count == chunks[index].size else { return false }
        return Multihash.sha256(bytes).digest == chunks[index].digest
    }

    /// Checks what can be checked against the content CID before any chunk arrives: a single-chunk
    /// content's chunk must be the whole, and empty content must hash to the empty digest. (For
    /// more chunks the whole is verified when every chunk is held.)
    public var isConsistentWithContent: Bool {
        guard let whole = content.sha256Digest else { return false }
        switch chunks.count {
        case 0: return whole == Multihash.sha256([UInt8]()).digest
        case 1: return chunks[0].digest == whole
        default: return true
        }
    }

    /// The canonical encoding (`Spec/transfer.md`, "Manifest").
    public func encoded() -> [UInt8] { Self.encode(content: content, size: size, chunks: chunks) }

    static func encode(content: CID, size: UInt64, chunks: [Chunk]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(100 + 36 * chunks.count)
        w.bytes.append(contentsOf: magic)
        w.u8(TransferLimits.version)
        w.cid(content)
        w.uint(size, 8)
        w.u32(chunks.count)
        for c in chunks {
            w.u32(c.size)
            w.bytes.append(contentsOf: c.digest)
        }
        return w.bytes
    }

    /// Decodes and checks a manifest encoding: limits, sizes adding up, no trailing bytes.
    public init(decoding bytes: [UInt8]) throws(TransferWireError) {
        guard bytes.count <= TransferLimits.maxManifestBytes else {
            throw .messageTooLarge(bytes: bytes.count, limit: TransferLimits.maxManifestBytes)
        }
        var r = ByteReader(bytes)
        guard Array(try r.take(4, "manifest.magic")) == Self.magic else { throw .badManifestMagic }
        let version = try r.u8("manifest.version")
        guard version == TransferLimits.version else { throw .unsupportedVersion(version) }
        let content = try r.cid("manifest.content")
        let sizeAt = r.offset
        let size = try r.uint(8, "manifest.size")
        let count = try r.int(4, "manifest.count", in: 0...TransferLimits.maxChunks)
        guard r.remaining >= count * 36 else { throw .truncated(field: "manifest.chunks", offset: r.offset) }
        var chunks: [Chunk] = []
        chunks.reserveCapacity(count)
        var total: UInt64 = 0
        for k in 0..<count {
            let s = try r.int(4, "manifest.chunks[\(k)].size", in: 1...TransferLimits.maxChunkBytes)
            chunks.append(Chunk(size: s, digest: Array(try r.take(32, "manifest.chunks[\(k)].digest"))))
            total += UInt64(s)
        }
        try r.end()
        guard total == size else {
            throw .invalidField("manifest.size", offset: sizeAt, reason: "declares \(size) bytes but the chunks add up to \(total)")
        }
        self.init(unchecked: content, size: size, chunks: chunks)
    }
}
