import ContentID
import Foundation
import VeectorCrypto

/// One user's encrypted documents, on top of `Database` and `BlobStore`.
///
/// Each document has its own random key, wrapped by the user's master key. Content is split by
/// content-defined chunking; each chunk is compressed (zstd, when that helps) and sealed with
/// XChaCha20-Poly1305 under the document key, then stored as a content-addressed blob chunk. The
/// title and every other piece of metadata are sealed too, bound to the exact chunk list. A new
/// version reuses the chunks that did not change, so an edit costs only what changed. Versions are
/// never overwritten: deleting adds a deletion marker, and any version can be restored.
///
/// Why not one secretstream over the whole content: chaining each chunk to the one before would make
/// every edit re-encrypt everything after it. Order and completeness are instead guaranteed by the
/// sealed metadata, whose additional data is the hash of the chunk list.
public struct DocumentStore: Sendable {
    /// Collection of document versions: key userID ‖ documentID.
    public static let documents = "documents"
    /// Collection of wrapped document keys: key userID ‖ documentID.
    public static let documentKeys = "document-keys"
    /// Document bytes per transaction while adding a large file.
    static let bytesPerTransaction = 16 << 20

    /// The database underneath.
    public let database: Database
    /// The user whose documents these are.
    public let user: UnlockedUser
    let blobs: BlobStore
    let now: @Sendable () -> Date

    /// A document store for `user`.
    public init(database: Database, user: UnlockedUser, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.user = user
        self.blobs = BlobStore(database: database)
        self.now = now
    }

    func key(_ id: DocumentID) -> [UInt8] { user.userID + id.bytes }

    /// Reports progress while adding or reading large content: (bytes done, bytes in all).
    public typealias Progress = (UInt64, UInt64) -> Void

    // MARK: Adding

    /// Adds the file at `path` as a new document (title defaults to the file's name).
    public func add(contentsOf path: String, title: String? = nil, progress: Progress? = nil) throws(DocumentError) -> DocumentInfo {
        let data = try Self.readFile(path)
        let name = title ?? URL(fileURLWithPath: path).lastPathComponent
        return try documentErrors { try data.withUnsafeBytes { try add($0, title: name, progress: progress) } }
    }

    /// Adds `bytes` as a new document.
    public func add(_ bytes: [UInt8], title: String, progress: Progress? = nil) throws(DocumentError) -> DocumentInfo {
        try documentErrors { try bytes.withUnsafeBytes { try add($0, title: title, progress: progress) } }
    }

    func add(_ content: UnsafeRawBufferPointer, title: String, progress: Progress?) throws(DocumentError) -> DocumentInfo {
        let id = DocumentID.random()
        let docKey = SecretKey.random()
        var first = Transaction()
        first.put(Self.documentKeys, key(id), user.wrapDocumentKey(docKey, documentID: id.bytes))
        return try write(content, id: id, docKey: docKey, title: title, created: nil, previous: nil,
                         restoredFrom: nil, leading: first, progress: progress)
    }

    /// Writes a new version of an existing document from the file at `path` (title kept unless given).
    public func update(_ id: DocumentID, contentsOf path: String, title: String? = nil, progress: Progress? = nil) throws(DocumentError) -> DocumentInfo {
        let data = try Self.readFile(path)
        return try documentErrors { try data.withUnsafeBytes { try update(id, content: $0, title: title, progress: progress) } }
    }

    /// Writes a new version of an existing document from `bytes`.
    public func update(_ id: DocumentID, bytes: [UInt8], title: String? = nil) throws(DocumentError) -> DocumentInfo {
        try documentErrors { try bytes.withUnsafeBytes { try update(id, content: $0, title: title, progress: nil) } }
    }

    func update(_ id: DocumentID, content: UnsafeRawBufferPointer, title: String?, progress: Progress?) throws(DocumentError) -> DocumentInfo {
        let docKey = try documentKey(id)
        let latest = try latestOpened(id, docKey: docKey, allowDeleted: true)
        return try write(content, id: id, docKey: docKey, title: title ?? latest?.meta.title ?? "", created: latest?.meta.created,
                         previous: latest, restoredFrom: nil, leading: Transaction(), progress: progress)
    }

    private func write(_ content: UnsafeRawBufferPointer, id: DocumentID, docKey: SecretKey, title: String, created: Date?,
                       previous: (record: DocumentRecord, meta: DocumentMetadata)?, restoredFrom: UInt64?,
                       leading: Transaction, progress: Progress?) throws(DocumentError) -> DocumentInfo {
        let chunkAD = DocumentRecord.chunkAD(userID: user.userID, documentID: id)
        let tagKey = docKey.withUnsafeBytes { GenericHash.hash($0, outputLength: 32, key: Array("veector-doc-dedupe-key".utf8.prefix(16))) }
        var reusable: [String: CID] = [:]
        if let previous {
            for (c, m) in zip(previous.record.chunks, previous.meta.chunks) { reusable[m.tag] = c }
        }
        var txn = leading
        var staged = 0
        var stagedHere = Set<CID>()
        var cids: [CID] = []
        var metaChunks: [DocumentMetadata.Chunk] = []
        let total = UInt64(content.count)
        var done: UInt64 = 0
        progress?(0, total)
        for range in blobs.chunker.chunkBoundaries(content) {
            let plain = UnsafeRawBufferPointer(rebasing: content[range])
            let tag = GenericHash.hash(plain, outputLength: 16, key: tagKey).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            if let cid = reusable[tag], stagedHere.contains(cid) || blobs.hasChunk(cid) {
                cids.append(cid)
            } else {
                // Compress (when it helps), then seal: [u8 encoding] ‖ payload.
                var inner: [UInt8]
                if BlobStore.worthCompressing(plain), case let packed = Zstd.compress(plain), packed.count < plain.count {
                    inner = [1] + packed
                } else {
                    inner = [0] + Array(plain)
                }
                let sealed = AEAD.seal(inner, key: docKey, additionalData: chunkAD)
                let cid = blobs.stageChunk(sealed, compress: false, into: &txn)
                cids.append(cid)
                // A chunk repeated inside this content is stored once.
                reusable[tag] = cid
                stagedHere.insert(cid)
                staged += sealed.count
                if staged >= Self.bytesPerTransaction {
                    do { try database.commit(txn) } catch { throw .storage(error) }
                    txn = Transaction()
                    staged = 0
                }
            }
            metaChunks.append(.init(length: range.count, tag: tag))
            done += UInt64(range.count)
            progress?(done, total)
        }
        let timestamp = now()
        let meta = DocumentMetadata(title: title, size: total, contentID: CID.sha256(of: content).description,
                                    created: created ?? timestamp, modified: timestamp, restoredFrom: restoredFrom, chunks: metaChunks)
        let record = try seal(meta, chunks: cids, id: id, docKey: docKey)
        txn.put(Self.documents, key(id), record.encode())
        let receipt: CommitReceipt
        do { receipt = try database.commit(txn) } catch { throw .storage(error) }
        return info(id: id, version: receipt.versions.last!, meta: meta)
    }

    private func seal(_ meta: DocumentMetadata, chunks: [CID], id: DocumentID, docKey: SecretKey) throws(DocumentError) -> DocumentRecord {
        let json: Data
        do { json = try Self.encoder.encode(meta) } catch { throw .damaged(id: id.description, reason: "cannot encode metadata: \(error)") }
        let ad = DocumentRecord.metadataAD(userID: user.userID, documentID: id, chunks: chunks)
        return DocumentRecord(chunks: chunks, sealedMetadata: AEAD.seal(Array(json), key: docKey, additionalData: ad))
    }

    // MARK: Reading

    /// Resolves what a person typed: a full ID, a unique ID prefix (4+ characters), or an exact title.
    public func resolve(_ query: String) throws(DocumentError) -> DocumentID {
        if let id = DocumentID(query), let e = database.latest(Self.documents, key(id)), e.kind != .purge { return id }
        let all = database.scan(Self.documents, range: .prefix(user.userID), includeDeleted: true)
            .filter { $0.entry.kind != .purge }
            .compactMap { DocumentID(bytes: Array($0.key.dropFirst(16))) }
        let lower = query.lowercased()
        if lower.count >= 4 {
            let byPrefix = all.filter { $0.description.hasPrefix(lower) }
            if byPrefix.count == 1 { return byPrefix[0] }
            if byPrefix.count > 1 { throw .ambiguous(query, matches: byPrefix.map(\.short)) }
        }
        let byTitle = try list().filter { $0.title == query && $0.damage == nil }
        if byTitle.count == 1 { return DocumentID(byTitle[0].id)! }
        if byTitle.count > 1 { throw .ambiguous(query, matches: byTitle.map { String($0.id.prefix(10)) }) }
        throw .notFound(query)
    }

    /// The newest version of every document (deleted ones only with `includeDeleted`), by title.
    /// A document whose records are damaged is listed with `damage` set instead of failing the list;
    /// purged documents are gone and never listed.
    public func list(includeDeleted: Bool = false) throws(DocumentError) -> [DocumentInfo] {
        var result: [DocumentInfo] = []
        for item in database.scan(Self.documents, range: .prefix(user.userID), includeDeleted: includeDeleted) {
            guard let id = DocumentID(bytes: Array(item.key.dropFirst(16))), item.entry.kind != .purge else { continue }
            let versions = database.history(Self.documents, item.key)
            do throws(DocumentError) {
                if item.entry.isDeletion {
                    var info = try history(id).last { !$0.deleted } ?? DocumentInfo(id: id.description, version: 0, deleted: true, title: "", size: 0, contentID: "")
                    info.version = item.entry.version
                    info.deleted = true
                    info.versions = versions.count
                    result.append(info)
                    continue
                }
                let docKey = try documentKey(id)
                let record = try recordValue(id, entry: item.entry)
                var info = info(id: id, version: item.entry.version, meta: try open(record, id: id, docKey: docKey))
                info.versions = versions.count
                result.append(info)
            } catch {
                var info = DocumentInfo(id: id.description, version: item.entry.version, deleted: item.entry.isDeletion,
                                        title: "", size: 0, contentID: "")
                info.versions = versions.count
                info.damage = error.description
                result.append(info)
            }
        }
        return result.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
    }

    /// Every version of a document, oldest first (deletions included).
    public func history(_ id: DocumentID) throws(DocumentError) -> [DocumentInfo] {
        let entries = database.history(Self.documents, key(id))
        guard !entries.isEmpty else { throw .notFound(id.description) }
        let docKey = try documentKey(id)
        var result: [DocumentInfo] = []
        for e in entries {
            if e.isDeletion {
                result.append(DocumentInfo(id: id.description, version: e.version, deleted: true, title: "", size: 0, contentID: ""))
            } else {
                result.append(info(id: id, version: e.version, meta: try open(try recordValue(id, entry: e), id: id, docKey: docKey)))
            }
        }
        return result
    }

    /// Reads a version (default: the newest) and returns its bytes, checked against its content ID.
    public func read(_ id: DocumentID, version: UInt64? = nil) throws(DocumentError) -> (info: DocumentInfo, bytes: [UInt8]) {
        var out: [UInt8] = []
        let info = try read(id, version: version, progress: nil) { out += $0 }
        return (info, out)
    }

    /// Reads a version into the file at `path` (written to a temporary file, then renamed over, so a
    /// failed read never leaves a half-written file).
    public func read(_ id: DocumentID, version: UInt64? = nil, to path: String, progress: Progress? = nil) throws(DocumentError) -> DocumentInfo {
        let tmp = path + ".veenode-partial"
        guard FileManager.default.createFile(atPath: tmp, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: tmp) else {
            throw .io(path: path, message: "cannot create the output file (check the folder exists and is writable)")
        }
        do throws(DocumentError) {
            let info = try read(id, version: version, progress: progress) { (piece: [UInt8]) throws(DocumentError) in
                do { try handle.write(contentsOf: piece) } catch { throw .io(path: path, message: "\(error)") }
            }
            do {
                try handle.synchronize()
                try handle.close()
            } catch { throw .io(path: path, message: "\(error)") }
            guard rename(tmp, path) == 0 else { throw DocumentError.io(path: path, message: String(cString: strerror(errno))) }
            return info
        } catch {
            try? handle.close()
            unlink(tmp)
            throw error
        }
    }

    /// Streams a version's plaintext to `sink` chunk by chunk.
    public func read(_ id: DocumentID, version: UInt64?, progress: Progress?,
                     sink: ([UInt8]) throws(DocumentError) -> Void) throws(DocumentError) -> DocumentInfo {
        let entries = database.history(Self.documents, key(id))
        guard let latest = entries.last else { throw .notFound(id.description) }
        let entry: IndexEntry
        if let version {
            guard let e = entries.first(where: { $0.version == version }) else {
                throw .versionNotFound(id: id.description, version: version, available: entries.map(\.version))
            }
            guard !e.isDeletion else { throw .versionIsDeletion(id: id.description, version: version) }
            entry = e
        } else {
            guard !latest.isDeletion else { throw .deleted(id.short) }
            entry = latest
        }
        let docKey = try documentKey(id)
        let record = try recordValue(id, entry: entry)
        let meta = try open(record, id: id, docKey: docKey)
        let chunkAD = DocumentRecord.chunkAD(userID: user.userID, documentID: id)
        var hasher = ContentHasher()
        var done: UInt64 = 0
        progress?(0, meta.size)
        for (cid, m) in zip(record.chunks, meta.chunks) {
            let sealed: [UInt8]
            do { sealed = try blobs.chunk(cid) } catch { throw .blob(error) }
            let inner: [UInt8]
            do { inner = try AEAD.open(sealed, key: docKey, additionalData: chunkAD) } catch {
                throw .damaged(id: id.description, reason: "a content chunk (\(cid)) failed authentication")
            }
            let plain: [UInt8]
            switch inner.first {
            case 0: plain = Array(inner.dropFirst())
            case 1:
                do { plain = try Zstd.decompress(Array(inner.dropFirst()), expectedSize: m.length) } catch {
                    throw .damaged(id: id.description, reason: "\(error)")
                }
            default: throw .damaged(id: id.description, reason: "unknown chunk encoding")
            }
            guard plain.count == m.length else { throw .damaged(id: id.description, reason: "chunk \(cid) has the wrong length") }
            hasher.update(plain)
            try sink(plain)
            done += UInt64(plain.count)
            progress?(done, meta.size)
        }
        guard hasher.finalize().description == meta.contentID, done == meta.size else {
            throw .damaged(id: id.description, reason: "the content does not match its content ID \(meta.contentID)")
        }
        return info(id: id, version: entry.version, meta: meta)
    }

    // MARK: Changing history

    /// Makes version `version` the newest again (as a new version; nothing is copied but metadata).
    public func restore(_ id: DocumentID, version: UInt64) throws(DocumentError) -> DocumentInfo {
        let entries = database.history(Self.documents, key(id))
        guard let e = entries.first(where: { $0.version == version }) else {
            if entries.isEmpty { throw .notFound(id.description) }
            throw .versionNotFound(id: id.description, version: version, available: entries.map(\.version))
        }
        guard !e.isDeletion else { throw .versionIsDeletion(id: id.description, version: version) }
        let docKey = try documentKey(id)
        let record = try recordValue(id, entry: e)
        var meta = try open(record, id: id, docKey: docKey)
        meta.modified = now()
        meta.restoredFrom = version
        let sealed = try seal(meta, chunks: record.chunks, id: id, docKey: docKey)
        let receipt: CommitReceipt
        var txn = Transaction()
        txn.put(Self.documents, key(id), sealed.encode())
        do { receipt = try database.commit(txn) } catch { throw .storage(error) }
        return info(id: id, version: receipt.versions[0], meta: meta)
    }

    /// Deletes a document. By default this adds a deletion marker and keeps its history (restorable).
    /// With `purge`, the document, its key and its content chunks are marked for removal: they
    /// become unreadable at once (the key is gone) and their space is reclaimed by `db compact`.
    public func remove(_ id: DocumentID, purge: Bool = false) throws(DocumentError) {
        let entries = database.history(Self.documents, key(id))
        guard let latest = entries.last else { throw .notFound(id.description) }
        if !purge {
            guard !latest.isDeletion else { throw .deleted(id.short) }
            var txn = Transaction()
            txn.delete(Self.documents, key(id))
            do { try database.commit(txn) } catch { throw .storage(error) }
            return
        }
        var chunks = Set<CID>()
        for e in entries where !e.isDeletion {
            if let r = try? recordValue(id, entry: e) { chunks.formUnion(r.chunks) }
        }
        var txn = Transaction()
        txn.purge(Self.documents, key(id))
        txn.purge(Self.documentKeys, key(id))
        for c in chunks.sorted() { txn.purge(BlobStore.chunks, c.bytes) }
        do { try database.commit(txn) } catch { throw .storage(error) }
    }

    // MARK: Helpers

    func documentKey(_ id: DocumentID) throws(DocumentError) -> SecretKey {
        let record: Record?
        do { record = try database.get(Self.documentKeys, key(id)) } catch { throw .storage(error) }
        guard let record else { throw .notFound(id.description) }
        do { return try user.unwrapDocumentKey(record.value, documentID: id.bytes) } catch { throw .vault(error) }
    }

    func recordValue(_ id: DocumentID, entry: IndexEntry) throws(DocumentError) -> DocumentRecord {
        let bytes: [UInt8]
        do { bytes = try database.value(of: entry) } catch { throw .storage(error) }
        guard let record = DocumentRecord.decode(bytes) else { throw .damaged(id: id.description, reason: "unreadable version record") }
        return record
    }

    func open(_ record: DocumentRecord, id: DocumentID, docKey: SecretKey) throws(DocumentError) -> DocumentMetadata {
        let ad = DocumentRecord.metadataAD(userID: user.userID, documentID: id, chunks: record.chunks)
        let json: [UInt8]
        do { json = try AEAD.open(record.sealedMetadata, key: docKey, additionalData: ad) } catch {
            throw .damaged(id: id.description, reason: "its metadata failed authentication (tampered with, or damaged)")
        }
        do {
            let meta = try Self.decoder.decode(DocumentMetadata.self, from: Data(json))
            guard meta.chunks.count == record.chunks.count else { throw DocumentError.damaged(id: id.description, reason: "chunk count mismatch") }
            return meta
        } catch { throw .damaged(id: id.description, reason: "unreadable metadata: \(error)") }
    }

    func latestOpened(_ id: DocumentID, docKey: SecretKey, allowDeleted: Bool) throws(DocumentError) -> (record: DocumentRecord, meta: DocumentMetadata)? {
        let entries = database.history(Self.documents, key(id))
        guard let latest = entries.last else { throw .notFound(id.description) }
        if latest.isDeletion && !allowDeleted { throw .deleted(id.short) }
        guard let e = entries.last(where: { !$0.isDeletion }) else { return nil }
        let record = try recordValue(id, entry: e)
        return (record, try open(record, id: id, docKey: docKey))
    }

    func info(id: DocumentID, version: UInt64, meta: DocumentMetadata) -> DocumentInfo {
        DocumentInfo(id: id.description, version: version, deleted: false, title: meta.title, size: meta.size,
                     contentID: meta.contentID, created: meta.created, modified: meta.modified, restoredFrom: meta.restoredFrom)
    }

    static func readFile(_ path: String) throws(DocumentError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .io(path: path, message: "no such file")
        }
        guard !isDirectory.boolValue else { throw .io(path: path, message: "is a folder, not a file") }
        do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw .io(path: path, message: "cannot read it (\((error as NSError).localizedDescription))")
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = .sortedKeys
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}

extension DocumentStore {
    /// Every chunk CID any document version of any user refers to (read from the clear chunk lists,
    /// no keys needed): what garbage collection must keep.
    public static func referencedChunks(in database: Database) -> Set<CID> {
        var live = Set<CID>()
        for item in database.scan(documents, includeDeleted: true) {
            for e in database.history(documents, item.key) where !e.isDeletion {
                if let bytes = try? database.value(of: e), let r = DocumentRecord.decode(bytes) { live.formUnion(r.chunks) }
            }
        }
        return live
    }
}
