import ContentID
import VeectorCrypto
import VeectorDB
import VeectorWire

/// A sender's signed offer of one document version to one other user (Spec/sharing.md, "Share
/// record"): who sends, to whom, which document and version, the content ID(s) of its ciphertext
/// package, and the document key sealed so that only the recipient can open it.
///
/// It holds no plaintext and no usable key, so it may travel in the open (gossip, a file, a
/// USB stick). The recipient checks the signature, that it is addressed to them, and its times.
public struct ShareRecord: Sendable, Equatable {
    /// The domain-separation prefix signed before the bencoded body.
    public static let signatureDomain: [UInt8] = Array("veector-share-record-v1".utf8)
    /// The largest encoded record accepted.
    public static let maxEncodedBytes = 2048
    /// The most package content IDs one record may list.
    public static let maxPackages = 8

    /// The signed fields.
    public struct Body: Sendable, Equatable {
        /// The sender's Ed25519 user public key (`frm`).
        public let senderPublicKey: [UInt8]
        /// The recipient's Ed25519 user public key (`to`).
        public let recipientPublicKey: [UInt8]
        /// The document's 16-byte ID in the sender's store (`doc`).
        public let documentID: DocumentID
        /// The document version shared (`ver`, ≥ 1).
        public let version: UInt64
        /// Content IDs of the ciphertext package, in order (`pkg`, 1–8; one today).
        public let packages: [CID]
        /// The package's total size in bytes (`len`), so a fetcher knows what to expect.
        public let packageBytes: UInt64
        /// The document key sealed to the recipient (`key`, `ShareKeySeal.sealedBytes` bytes).
        public let sealedKey: [UInt8]
        /// When the share was made, Unix seconds (`at`, passed in: nothing here reads a clock).
        public let createdAt: Int64
        /// Until when it may be imported, Unix seconds (`exp`, exclusive), or nil for no limit.
        public let expiresAt: Int64?

        /// Checks the fields.
        public init(senderPublicKey: [UInt8], recipientPublicKey: [UInt8], documentID: DocumentID, version: UInt64, packages: [CID],
                    packageBytes: UInt64, sealedKey: [UInt8], createdAt: Int64, expiresAt: Int64?) throws(ShareError) {
            guard senderPublicKey.count == 32 else { throw .invalidField(field: "frm", reason: "must be 32 bytes, is \(senderPublicKey.count)") }
            guard recipientPublicKey.count == 32 else { throw .invalidField(field: "to", reason: "must be 32 bytes, is \(recipientPublicKey.count)") }
            guard version >= 1, version <= UInt64(Int64.max) else { throw .invalidField(field: "ver", reason: "must be 1 or more, is \(version)") }
            guard (1...ShareRecord.maxPackages).contains(packages.count) else {
                throw .invalidField(field: "pkg", reason: "must list 1 to \(ShareRecord.maxPackages) content IDs, lists \(packages.count)")
            }
            guard packageBytes <= UInt64(Int64.max) else { throw .invalidField(field: "len", reason: "is out of range") }
            guard sealedKey.count == ShareKeySeal.sealedBytes else {
                throw .invalidField(field: "key", reason: "must be \(ShareKeySeal.sealedBytes) bytes, is \(sealedKey.count)")
            }
            guard createdAt >= 0 else { throw .invalidField(field: "at", reason: "must not be negative, is \(createdAt)") }
            if let expiresAt, expiresAt <= createdAt {
                throw .invalidField(field: "exp", reason: "must be later than the share time \(createdAt), is \(expiresAt)")
            }
            self.senderPublicKey = senderPublicKey
            self.recipientPublicKey = recipientPublicKey
            self.documentID = documentID
            self.version = version
            self.packages = packages
            self.packageBytes = packageBytes
            self.sealedKey = sealedKey
            self.createdAt = createdAt
            self.expiresAt = expiresAt
        }

        var dictionary: [[UInt8]: BencodeValue] {
            var d: [[UInt8]: BencodeValue] = [
                Array("v".utf8): .integer(1),
                Array("frm".utf8): .bytes(senderPublicKey),
                Array("to".utf8): .bytes(recipientPublicKey),
                Array("doc".utf8): .bytes(documentID.bytes),
                Array("ver".utf8): .integer(Int64(version)),
                Array("pkg".utf8): .list(packages.map { .bytes($0.bytes) }),
                Array("len".utf8): .integer(Int64(packageBytes)),
                Array("key".utf8): .bytes(sealedKey),
                Array("at".utf8): .integer(createdAt),
            ]
            if let expiresAt { d[Array("exp".utf8)] = .integer(expiresAt) }
            return d
        }

        /// The exact bytes the sender signs: the domain prefix, then the canonical bencoding of the body.
        public var signedBytes: [UInt8] { ShareRecord.signatureDomain + BencodeValue.dictionary(dictionary).encoded() }
    }

    /// The signed fields.
    public let body: Body
    /// The sender's Ed25519 signature over `body.signedBytes` (64 bytes).
    public let signature: [UInt8]

    /// Signs `body` with the sender's key pair (whose public key must be `body.senderPublicKey`).
    public init(signing body: Body, with sender: SigningKeyPair) throws(ShareError) {
        guard sender.publicKey == body.senderPublicKey else {
            throw .invalidField(field: "frm", reason: "is not the public key of the signing key pair")
        }
        self.body = body
        signature = sender.sign(body.signedBytes)
    }

    /// The canonical encoding: the body's dictionary with `sig` added.
    public func encoded() -> [UInt8] {
        var dict = body.dictionary
        dict[Array("sig".utf8)] = .bytes(signature)
        return BencodeValue.dictionary(dict).encoded()
    }

    /// The share's ID: names it in the outbox and the inbox.
    public var id: ShareID { ShareID(record: encoded()) }

    /// Parses a record strictly (canonical bencode, known fields only, every field in range).
    /// Parsing does not check the signature: call `verify`.
    public init(decoding bytes: [UInt8]) throws(ShareError) {
        let f = try ShareFields(decoding: bytes, maxBytes: Self.maxEncodedBytes, what: "share record",
                                allowed: ["v", "frm", "to", "doc", "ver", "pkg", "len", "key", "at", "exp", "sig"])
        guard let doc = DocumentID(bytes: try f.bytes("doc", count: 16)) else { throw .malformed(field: "doc", reason: "is not 16 bytes") }
        let ver = try f.integer("ver"), len = try f.integer("len")
        guard ver >= 1 else { throw .malformed(field: "ver", reason: "must be 1 or more, is \(ver)") }
        guard len >= 0 else { throw .malformed(field: "len", reason: "is negative") }
        var cids: [CID] = []
        for (i, item) in try f.list("pkg").enumerated() {
            guard let raw = item.bytesValue, let cid = try? CID(bytes: raw), cid.codec == .raw, cid.sha256Digest != nil else {
                throw .malformed(field: "pkg", reason: "entry \(i) is not a raw sha2-256 CIDv1")
            }
            cids.append(cid)
        }
        let exp: Int64? = try f.has("exp") ? f.integer("exp") : nil
        do {
            body = try Body(senderPublicKey: try f.bytes("frm", count: 32), recipientPublicKey: try f.bytes("to", count: 32), documentID: doc,
                            version: UInt64(ver), packages: cids, packageBytes: UInt64(len), sealedKey: try f.bytes("key"),
                            createdAt: try f.integer("at"), expiresAt: exp)
        } catch {
            if case let .invalidField(field, reason) = error { throw .malformed(field: field, reason: reason) }
            throw error
        }
        signature = try f.bytes("sig", count: SigningKeyPair.signatureBytes)
    }

    /// Checks only the signature: what a relay (gossip) can check without being the recipient.
    public func verifySignature() throws(ShareError) {
        guard Signature.verify(signature, message: body.signedBytes, publicKey: body.senderPublicKey) else { throw .badSignature(what: "share record") }
    }

    /// Checks the signature, that the record is addressed to `recipient` (an Ed25519 user public
    /// key), and that it may be imported at `now` (Unix seconds, with `allowedClockSkew` seconds of
    /// tolerance either side). Throws the first problem found, in that order.
    public func verify(recipient: [UInt8], now: Int64, allowedClockSkew: Int64 = 300) throws(ShareError) {
        try verifySignature()
        guard recipient == body.recipientPublicKey else {
            throw .wrongRecipient(expected: recipient.hexString, found: body.recipientPublicKey.hexString)
        }
        let (later, o1) = now.addingReportingOverflow(allowedClockSkew)
        if !o1, body.createdAt > later { throw .notYetValid(createdAt: body.createdAt, now: now) }
        let (earlier, o2) = now.subtractingReportingOverflow(allowedClockSkew)
        if let exp = body.expiresAt, !o2, exp <= earlier { throw .expired(expiresAt: exp, now: now) }
    }
}
