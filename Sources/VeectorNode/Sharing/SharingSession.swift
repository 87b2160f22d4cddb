import ContentID
import Foundation
import VeectorCrypto
import VeectorDB
import VeectorIdentity

/// One unlocked user's side of sharing: send documents to other users, revoke, receive, and
/// read the inbox. `share` and `importShare` are the two functions every transport calls — the
/// share file today, gossip and fetch-by-CID later.
///
/// Collections (Spec/sharing.md, "Storage"): `share-outbox` (userID ‖ share ID → encoded record),
/// `share-revocations` (sender ‖ recipient ‖ document → encoded revocation), and the inbox's
/// `share-inbox` (see `SharedInbox`). Packages go to the blob store under their content IDs.
public struct SharingSession: Sendable {
    /// Collection of sent share records.
    public static let outboxCollection = "share-outbox"
    /// Collection of revocations, sent and received.
    public static let revocationsCollection = "share-revocations"

    /// The node database.
    public let database: Database
    /// The user's documents (the sending side).
    public let documents: DocumentStore
    /// The user's inbox (the receiving side).
    public let inbox: SharedInbox
    /// The user's identity: signs records and opens keys sealed to it.
    public let identity: UserIdentity

    /// The user's sharing key: the Ed25519 user public key others share to.
    public var publicKey: [UInt8] { identity.publicKey }

    init(database: Database, user: UnlockedUser, identity: UserIdentity) {
        self.database = database
        documents = DocumentStore(database: database, user: user)
        inbox = SharedInbox(database: database, user: user)
        self.identity = identity
    }

    // MARK: Sending

    /// Shares version `version` (default: the newest) of document `id` with the user whose key is
    /// `recipient`: packs the ciphertext package, seals the document key to the recipient, signs
    /// the record, stores the package in the blob store and the record in the outbox.
    /// Times are Unix seconds, passed in. Refused when sharing it to that user was revoked.
    public func share(_ id: DocumentID, to recipient: [UInt8], version: UInt64? = nil, createdAt: Int64,
                      expiresAt: Int64? = nil) throws(ShareError) -> SentShare {
        guard recipient.count == 32 else { throw .invalidKey(what: "recipient's key", reason: "must be 32 bytes (64 hex characters), is \(recipient.count) bytes") }
        if let r = try revocation(sender: publicKey, recipient: recipient, document: id) {
            throw .revoked(document: id.short, revokedAt: r.body.revokedAt)
        }
        let exported: ExportedPackage
        do { exported = try documents.exportPackage(id, version: version) } catch { throw .document(error) }
        let bytes = exported.package.encoded()
        let cid = CID.sha256(of: bytes)
        let sealed = try ShareKeySeal.seal(exported.documentKey, from: publicKey, to: recipient)
        let body = try ShareRecord.Body(senderPublicKey: publicKey, recipientPublicKey: recipient, documentID: id,
                                        version: exported.package.version, packages: [cid], packageBytes: UInt64(bytes.count),
                                        sealedKey: sealed, createdAt: createdAt, expiresAt: expiresAt)
        let record = try ShareRecord(signing: body, with: identity.keyPair)
        // The package first, then the record that names it.
        do { _ = try BlobStore(database: database).put(bytes, layout: .chunked(compress: false)) } catch { throw .blob(error) }
        var txn = Transaction()
        txn.put(Self.outboxCollection, documents.user.userID + record.id.bytes, record.encoded())
        do { try database.commit(txn) } catch { throw .storage(error) }
        return SentShare(record: record, package: bytes, document: exported.info)
    }

    /// Revokes sharing document `id` with `recipient` from `revokedAt` (Unix seconds): stores a
    /// signed revocation, after which `share` refuses that pair. Returns it, to be sent on to the
    /// recipient. It cannot un-send what the recipient already fetched and imported.
    public func revoke(_ id: DocumentID, recipient: [UInt8], revokedAt: Int64) throws(ShareError) -> ShareRevocation {
        guard recipient.count == 32 else { throw .invalidKey(what: "recipient's key", reason: "must be 32 bytes (64 hex characters), is \(recipient.count) bytes") }
        do { _ = try documents.history(id) } catch { throw .document(error) }
        if let existing = try revocation(sender: publicKey, recipient: recipient, document: id) { return existing }
        let body = try ShareRevocation.Body(senderPublicKey: publicKey, recipientPublicKey: recipient, documentID: id, revokedAt: revokedAt)
        let revocation = try ShareRevocation(signing: body, with: identity.keyPair)
        try store(revocation)
        return revocation
    }

    /// The sender's shares, newest first.
    public func outbox() throws(ShareError) -> [OutboxEntry] {
        var out: [OutboxEntry] = []
        for row in database.scan(Self.outboxCollection, range: .prefix(documents.user.userID)) {
            let value: [UInt8]
            do { value = try database.value(of: row.entry) } catch { throw .storage(error) }
            let r = try ShareRecord(decoding: value)
            out.append(OutboxEntry(id: r.id.description, to: r.body.recipientPublicKey.hexString, documentID: r.body.documentID.description,
                                   version: r.body.version, package: r.body.packages[0].description, packageBytes: r.body.packageBytes,
                                   shared: Date(timeIntervalSince1970: TimeInterval(r.body.createdAt)),
                                   expires: r.body.expiresAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                                   revoked: try revocation(sender: r.body.senderPublicKey, recipient: r.body.recipientPublicKey, document: r.body.documentID) != nil))
        }
        return out.sorted { ($0.shared, $0.id) > ($1.shared, $1.id) }
    }

    // MARK: Receiving

    /// Imports a share addressed to this user: checks the record (signature, recipient, times),
    /// that sharing was not revoked, opens the sealed key with this user's key, checks the package
    /// against the record and decrypts it once, then stores it in the inbox, still encrypted (the
    /// document key re-wrapped under this user's vault). `now` is Unix seconds. Nothing is stored
    /// when anything fails. Importing the same record again returns the stored item.
    public func importShare(_ record: ShareRecord, package: [UInt8], now: Int64, received: Date) throws(ShareError) -> ReceivedShare {
        try record.verify(recipient: publicKey, now: now)
        let b = record.body
        if let r = try revocation(sender: b.senderPublicKey, recipient: b.recipientPublicKey, document: b.documentID) {
            throw .revoked(document: b.documentID.short, revokedAt: r.body.revokedAt)
        }
        let key = try ShareKeySeal.open(b.sealedKey, recipient: identity, expectedSender: b.senderPublicKey)
        guard b.packages.count == 1 else {
            throw .malformed(field: "pkg", reason: "lists \(b.packages.count) packages; this program reads shares of one package (upgrade Veector)")
        }
        guard UInt64(package.count) == b.packageBytes else {
            throw .package(.documentMismatch(reason: "the package is \(package.count) bytes, the record says \(b.packageBytes)"))
        }
        do {
            let item = try inbox.add(record.id, packageBytes: package, expectedPackage: b.packages[0], documentID: b.documentID,
                                     version: b.version, documentKey: key, note: record.encoded(), received: received)
            return try view(item)
        } catch let e as InboxError {
            if case let .package(p) = e { throw .package(p) }
            throw .inbox(e)
        } catch let e as ShareError { throw e } catch { throw .inbox(.damaged(id: record.id.short, reason: "\(error)")) }
    }

    /// Records a revocation addressed to this user (checked first), so a share of that document
    /// from that sender is refused from now on. What was imported before stays readable.
    public func importRevocation(_ revocation: ShareRevocation) throws(ShareError) {
        try revocation.verify()
        guard revocation.body.recipientPublicKey == publicKey else {
            throw .wrongRecipient(expected: publicKey.hexString, found: revocation.body.recipientPublicKey.hexString)
        }
        if try self.revocation(sender: revocation.body.senderPublicKey, recipient: publicKey, document: revocation.body.documentID) == nil {
            try store(revocation)
        }
    }

    /// Reads a share file (the file transport) and imports what it holds.
    public func receive(file path: String, now: Int64, received: Date) throws(ShareError) -> ReceivedItem {
        try receive(try ShareFile.read(path), now: now, received: received)
    }

    /// Imports a share or revocation however it came (a file, a gossip message).
    public func receive(_ file: ShareFile, now: Int64, received: Date) throws(ShareError) -> ReceivedItem {
        switch file {
        case let .share(record, package):
            return .share(try importShare(try ShareRecord(decoding: record), package: package, now: now, received: received))
        case let .revocation(bytes):
            let revocation = try ShareRevocation(decoding: bytes)
            try importRevocation(revocation)
            return .revocation(revocation)
        }
    }

    /// The inbox, newest first, with sender and revocation status.
    public func received() throws(ShareError) -> [ReceivedShare] {
        var out: [ReceivedShare] = []
        for item in inbox.list() {
            if let damage = item.damage {
                out.append(ReceivedShare(id: item.id.description, from: "", title: "", size: 0, contentID: "", documentID: "", version: 0,
                                         shared: .distantPast, received: .distantPast, package: "", revoked: false, damage: damage))
            } else {
                out.append(try view(item))
            }
        }
        return out
    }

    /// The revocation of sharing `document` from `sender` to `recipient`, if one is stored.
    public func revocation(sender: [UInt8], recipient: [UInt8], document: DocumentID) throws(ShareError) -> ShareRevocation? {
        let record: Record?
        do { record = try database.get(Self.revocationsCollection, sender + recipient + document.bytes) } catch { throw .storage(error) }
        guard let record else { return nil }
        return try ShareRevocation(decoding: record.value)
    }

    func store(_ revocation: ShareRevocation) throws(ShareError) {
        var txn = Transaction()
        txn.put(Self.revocationsCollection, revocation.body.pairKey, revocation.encoded())
        do { try database.commit(txn) } catch { throw .storage(error) }
    }

    func view(_ item: InboxItem) throws(ShareError) -> ReceivedShare {
        let record = try ShareRecord(decoding: item.note)
        let b = record.body
        return ReceivedShare(id: item.id.description, from: b.senderPublicKey.hexString, title: item.title, size: item.size,
                             contentID: item.contentID, documentID: item.documentID, version: item.version,
                             shared: Date(timeIntervalSince1970: TimeInterval(b.createdAt)), received: item.received,
                             package: item.package.description,
                             revoked: try revocation(sender: b.senderPublicKey, recipient: b.recipientPublicKey, document: b.documentID) != nil,
                             damage: nil)
    }
}
