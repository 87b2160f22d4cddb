import ContentID
import Foundation
import VeectorCrypto

/// One user's inbox: documents other users shared with them, kept encrypted at rest.
///
/// An item is the sender's ciphertext package, stored as a content-addressed blob exactly as it
/// arrived, plus the document key re-wrapped under this user's vault keys (so it opens with this
/// user's passphrase only), plus a sealed entry with the title and whatever the importer attached.
/// Nothing is stored until the whole package has been checked and decrypted once.
public struct SharedInbox: Sendable {
    /// Collection of inbox items: key userID ‖ share ID.
    public static let items = "share-inbox"
    /// The vault subkey purpose that seals inbox entries.
    static let sealPurpose = "inboxent"
    static let entryDomain = Array("veector-inbox-v1".utf8)

    /// The database underneath.
    public let database: Database
    /// The user whose inbox this is.
    public let user: UnlockedUser
    let blobs: BlobStore

    /// The inbox of `user`.
    public init(database: Database, user: UnlockedUser) {
        self.database = database
        self.user = user
        self.blobs = BlobStore(database: database)
    }

    func key(_ id: ShareID) -> [UInt8] { user.userID + id.bytes }
    /// What the document key is wrapped for: never a 16-byte document ID, so it cannot be confused with one.
    static func wrapBinding(_ id: ShareID) -> [UInt8] { Array("inbox".utf8) + id.bytes }
    func entryAD(_ id: ShareID, package: CID) -> [UInt8] { Self.entryDomain + user.userID + id.bytes + package.bytes }

    /// Whether the share `id` is already in the inbox.
    public func contains(_ id: ShareID) -> Bool { database.latest(Self.items, key(id))?.kind == .put }

    /// Imports a received package as item `id`. Checks, in order, that its content ID is
    /// `expectedPackage`, that it parses and every chunk matches its ID, that it is `documentID` at
    /// `version`, and that `documentKey` decrypts all of it to the content ID sealed inside; only
    /// then stores the package, the re-wrapped key and a sealed entry holding `note`. Importing the
    /// same share again returns the stored item.
    public func add(_ id: ShareID, packageBytes: [UInt8], expectedPackage: CID, documentID: DocumentID, version: UInt64,
                    documentKey: SecretKey, note: [UInt8], received: Date) throws(InboxError) -> InboxItem {
        if contains(id) { return try item(id) }
        let found = CID.sha256(of: packageBytes)
        guard found == expectedPackage else { throw .package(.contentIDMismatch(expected: expectedPackage.description, found: found.description)) }
        let package: DocumentPackage
        do { package = try DocumentPackage(decoding: packageBytes) } catch { throw .package(error) }
        guard package.documentID == documentID else {
            throw .package(.documentMismatch(reason: "it holds document \(package.documentID.short), the record names \(documentID.short)"))
        }
        guard package.version == version else {
            throw .package(.documentMismatch(reason: "it holds version \(package.version), the record names \(version)"))
        }
        let info: DocumentInfo
        do throws(PackageError) {
            guard let opened = try package.decrypt(key: documentKey, sink: { _ in true }) else { throw PackageError.metadataRejected }
            info = opened
        } catch { throw .package(error) }
        let entry = InboxEntry(title: info.title, size: info.size, contentID: info.contentID, documentID: info.id, version: info.version,
                               modified: info.modified, received: received, packageBytes: UInt64(packageBytes.count), note: Data(note))
        let json: [UInt8]
        do { json = Array(try DocumentStore.encoder.encode(entry)) } catch { throw .damaged(id: id.short, reason: "cannot encode its entry (\(error))") }
        let sealed = AEAD.seal(json, key: user.subkey(purpose: Self.sealPurpose), additionalData: entryAD(id, package: found))
        let record = InboxRecord(package: found, wrappedKey: user.wrapDocumentKey(documentKey, documentID: Self.wrapBinding(id)), sealedEntry: sealed)
        // The package first (its own commit), then the item that refers to it: a crash in between
        // leaves only an unreferenced ciphertext blob, never an item without its package.
        do { _ = try blobs.put(packageBytes, layout: .chunked(compress: false)) } catch { throw .blob(error) }
        var txn = Transaction()
        txn.put(Self.items, key(id), record.encode())
        do { try database.commit(txn) } catch { throw .storage(error) }
        return Self.item(id, record: record, entry: entry)
    }

    /// Every item in the inbox, newest first. An item that cannot be opened is listed with
    /// `damage` set rather than failing the whole list.
    public func list() -> [InboxItem] {
        var out: [InboxItem] = []
        for row in database.scan(Self.items, range: .prefix(user.userID)) {
            guard let id = ShareID(bytes: Array(row.key.dropFirst(16))) else { continue }
            do throws(InboxError) { out.append(try item(id)) } catch {
                out.append(InboxItem(id: id, title: "", size: 0, contentID: "", documentID: "", version: 0, modified: nil,
                                     received: .distantPast, package: CID.sha256(of: []), packageBytes: 0, note: [], damage: error.description))
            }
        }
        return out.sorted { ($0.received, $0.id) > ($1.received, $1.id) }
    }

    /// One item, its sealed entry opened.
    public func item(_ id: ShareID) throws(InboxError) -> InboxItem {
        let (record, entry) = try load(id)
        return Self.item(id, record: record, entry: entry)
    }

    /// Finds an item by its full ID, a unique prefix of at least 4 characters, or its exact title.
    public func resolve(_ query: String) throws(InboxError) -> ShareID {
        if let id = ShareID(query), contains(id) { return id }
        let all = list()
        let lower = query.lowercased()
        if lower.count >= 4 {
            let byPrefix = all.filter { $0.id.description.hasPrefix(lower) }
            if byPrefix.count == 1 { return byPrefix[0].id }
            if byPrefix.count > 1 { throw .ambiguous(query, matches: byPrefix.map(\.id.short)) }
        }
        let byTitle = all.filter { $0.damage == nil && $0.title == query }
        if byTitle.count == 1 { return byTitle[0].id }
        if byTitle.count > 1 { throw .ambiguous(query, matches: byTitle.map(\.id.short)) }
        throw .notFound(query)
    }

    /// Decrypts item `id` and returns its bytes (checked against its content ID).
    public func read(_ id: ShareID) throws(InboxError) -> (item: InboxItem, bytes: [UInt8]) {
        var out: [UInt8] = []
        let item = try read(id) { out += $0; return true }
        return (item, out)
    }

    /// Decrypts item `id` into the file at `path` (a temporary file renamed over it, so a failed
    /// read never leaves a half-written file).
    public func read(_ id: ShareID, to path: String) throws(InboxError) -> InboxItem {
        let tmp = path + ".veenode-partial"
        guard FileManager.default.createFile(atPath: tmp, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: tmp) else {
            throw .io(path: path, message: "cannot create the output file (check the folder exists and is writable)")
        }
        var writeError: String?
        do throws(InboxError) {
            let item = try read(id) { piece in
                do { try handle.write(contentsOf: piece); return true } catch { writeError = "\(error)"; return false }
            }
            if let writeError { throw InboxError.io(path: path, message: writeError) }
            do {
                try handle.synchronize()
                try handle.close()
            } catch { throw InboxError.io(path: path, message: "\(error)") }
            guard rename(tmp, path) == 0 else { throw InboxError.io(path: path, message: String(cString: strerror(errno))) }
            return item
        } catch {
            try? handle.close()
            unlink(tmp)
            throw error
        }
    }

    /// Decrypts item `id` chunk by chunk into `sink` (return false to stop early).
    public func read(_ id: ShareID, sink: ([UInt8]) -> Bool) throws(InboxError) -> InboxItem {
        let (record, entry) = try load(id)
        let documentKey: SecretKey
        do { documentKey = try user.unwrapDocumentKey(record.wrappedKey, documentID: Self.wrapBinding(id)) } catch { throw .vault(error) }
        let bytes: [UInt8]
        do { bytes = try blobs.get(record.package, verify: true) } catch { throw .blob(error) }
        let package: DocumentPackage
        do { package = try DocumentPackage(decoding: bytes) } catch { throw .damaged(id: id.short, reason: error.description) }
        guard package.documentID.description == entry.documentID, package.version == entry.version else {
            throw .damaged(id: id.short, reason: "its package holds another document than its entry names")
        }
        do { try package.decrypt(key: documentKey, sink: sink) } catch { throw .damaged(id: id.short, reason: error.description) }
        return Self.item(id, record: record, entry: entry)
    }

    func load(_ id: ShareID) throws(InboxError) -> (InboxRecord, InboxEntry) {
        let stored: Record?
        do { stored = try database.get(Self.items, key(id)) } catch { throw .storage(error) }
        guard let stored else { throw .notFound(id.description) }
        guard let record = InboxRecord.decode(stored.value) else { throw .damaged(id: id.short, reason: "unreadable inbox record") }
        let json: [UInt8]
        do { json = try AEAD.open(record.sealedEntry, key: user.subkey(purpose: Self.sealPurpose), additionalData: entryAD(id, package: record.package)) } catch {
            throw .damaged(id: id.short, reason: "its entry failed authentication (tampered with, damaged, or another user's)")
        }
        do { return (record, try DocumentStore.decoder.decode(InboxEntry.self, from: Data(json))) } catch {
            throw .damaged(id: id.short, reason: "unreadable entry (\(error))")
        }
    }

    static func item(_ id: ShareID, record: InboxRecord, entry: InboxEntry) -> InboxItem {
        InboxItem(id: id, title: entry.title, size: entry.size, contentID: entry.contentID, documentID: entry.documentID, version: entry.version,
                  modified: entry.modified, received: entry.received, package: record.package, packageBytes: entry.packageBytes,
                  note: Array(entry.note), damage: nil)
    }
}
