import ContentID

/// One version of one encrypted document, exactly as its owner stores it, packed into a single
/// self-contained byte string that can travel to another user (Spec/sharing.md, "Ciphertext
/// package").
///
/// It holds the sealed metadata and the sealed content chunks — never the plaintext, never the
/// document key. Whoever holds the package but not the key learns only sizes. It is named by the
/// CIDv1 (raw, sha2-256) of its encoding, so the network can move it by content ID and the
/// recipient can check it against the signed share record.
public struct DocumentPackage: Sendable, Equatable {
    /// The first four bytes of every package.
    public static let magic: [UInt8] = Array("VPKG".utf8)
    /// The format version this program writes.
    public static let formatVersion: UInt8 = 1
    /// Bytes before the first chunk: magic, version, owner ID, document ID, document version, chunk count.
    static let headerBytes = 4 + 1 + 16 + 16 + 8 + 4
    /// The largest sealed chunk accepted (chunks are at most 256 KiB of plaintext; this leaves room).
    public static let maxSealedChunkBytes = 1 << 20
    /// The largest sealed metadata accepted.
    public static let maxSealedMetadataBytes = 64 << 20

    /// One content chunk as stored: its ID (the CID of `sealed`) and its sealed bytes.
    public struct SealedChunk: Sendable, Equatable {
        /// CIDv1 (raw, sha2-256) of `sealed`.
        public let id: CID
        /// `nonce ‖ XChaCha20-Poly1305 ciphertext ‖ tag` of `encoding byte ‖ payload`.
        public let sealed: [UInt8]
    }

    /// The owner's 16-byte vault user ID: bound into every chunk's and the metadata's additional data.
    public let ownerID: [UInt8]
    /// The document's ID in the owner's store.
    public let documentID: DocumentID
    /// The version of the document this package holds.
    public let version: UInt64
    /// The content chunks in order.
    public let chunks: [SealedChunk]
    /// The sealed metadata (title, size, content ID, chunk lengths), bound to the exact chunk list.
    public let sealedMetadata: [UInt8]

    init(ownerID: [UInt8], documentID: DocumentID, version: UInt64, chunks: [SealedChunk], sealedMetadata: [UInt8]) {
        self.ownerID = ownerID
        self.documentID = documentID
        self.version = version
        self.chunks = chunks
        self.sealedMetadata = sealedMetadata
    }

    /// The canonical encoding (Spec/sharing.md): what travels and what the content ID names.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: Self.headerBytes + 4 + sealedMetadata.count + chunks.reduce(0) { $0 + 41 + $1.sealed.count })
        w.raw(Self.magic)
        w.u8(Self.formatVersion)
        w.raw(ownerID)
        w.raw(documentID.bytes)
        w.u64(version)
        w.u32(UInt32(chunks.count))
        for c in chunks {
            let id = c.id.bytes
            w.u8(UInt8(id.count)); w.raw(id)
            w.u32(UInt32(c.sealed.count)); w.raw(c.sealed)
        }
        w.u32(UInt32(sealedMetadata.count))
        w.raw(sealedMetadata)
        return w.bytes
    }

    /// The package's content ID: CIDv1 (raw codec, sha2-256) of `encoded()`.
    public var contentID: CID { CID.sha256(of: encoded()) }

    /// Parses a package strictly and checks that every chunk hashes to its listed ID. Does not
    /// need the key (see `open(key:)` for that).
    public init(decoding bytes: [UInt8]) throws(PackageError) {
        let parsed: Result<DocumentPackage, PackageError> = bytes.withUnsafeBytes { buffer in
            var r = ByteReader(buffer)
            guard r.bytes(4) == Self.magic else { return .failure(.malformed(field: "magic", reason: "is not \"VPKG\"")) }
            guard let format = r.read(UInt8.self) else { return .failure(.malformed(field: "header", reason: "is cut short")) }
            guard format == Self.formatVersion else { return .failure(.unsupportedVersion(format)) }
            guard let owner = r.bytes(16), let doc = r.bytes(16), let version = r.read(UInt64.self), let count = r.read(UInt32.self) else {
                return .failure(.malformed(field: "header", reason: "is cut short"))
            }
            guard version >= 1 else { return .failure(.malformed(field: "document version", reason: "is 0; versions start at 1")) }
            // Each chunk takes at least 1 + 36 + 4 + 40 bytes: a count beyond that is a lie.
            guard Int(count) <= r.remaining / 81 else {
                return .failure(.malformed(field: "chunk count", reason: "is \(count), more than \(bytes.count) bytes can hold"))
            }
            var chunks: [SealedChunk] = []
            chunks.reserveCapacity(Int(count))
            for i in 0..<Int(count) {
                guard let n = r.read(UInt8.self), let raw = r.bytes(Int(n)) else {
                    return .failure(.malformed(field: "chunk \(i)", reason: "is cut short"))
                }
                guard let id = try? CID(bytes: raw), id.codec == .raw, id.sha256Digest != nil else {
                    return .failure(.malformed(field: "chunk \(i) ID", reason: "is not a raw sha2-256 CIDv1"))
                }
                guard let length = r.read(UInt32.self), Int(length) <= Self.maxSealedChunkBytes, let sealed = r.bytes(Int(length)) else {
                    return .failure(.malformed(field: "chunk \(i)", reason: "is cut short or longer than \(Self.maxSealedChunkBytes) bytes"))
                }
                guard CID.sha256(of: sealed) == id else { return .failure(.chunkIDMismatch(index: i)) }
                chunks.append(SealedChunk(id: id, sealed: sealed))
            }
            guard let metaLength = r.read(UInt32.self), Int(metaLength) <= Self.maxSealedMetadataBytes, let meta = r.bytes(Int(metaLength)) else {
                return .failure(.malformed(field: "sealed metadata", reason: "is cut short or too long"))
            }
            guard r.remaining == 0 else { return .failure(.malformed(field: "end", reason: "has \(r.remaining) bytes after the metadata")) }
            return .success(DocumentPackage(ownerID: owner, documentID: DocumentID(bytes: doc)!, version: version, chunks: chunks, sealedMetadata: meta))
        }
        self = try parsed.get()
    }
}
