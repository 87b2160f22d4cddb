import VeectorCrypto
import VeectorDB
import VeectorWire

/// A sender's signed statement that one document must no longer be shared with one recipient
/// (Spec/sharing.md, "Revocation"). The sender's node refuses new shares of it to that user, and an
/// honest recipient node refuses to import a share of it it has not imported yet.
///
/// It cannot un-send: a recipient who already fetched and imported the package keeps the key.
public struct ShareRevocation: Sendable, Equatable {
    /// The domain-separation prefix signed before the bencoded body.
    public static let signatureDomain: [UInt8] = Array("veector-share-revocation-v1".utf8)
    /// The largest encoded revocation accepted.
    public static let maxEncodedBytes = 512

    /// The signed fields.
    public struct Body: Sendable, Equatable {
        /// The sender's Ed25519 user public key (`frm`).
        public let senderPublicKey: [UInt8]
        /// The recipient's Ed25519 user public key (`to`).
        public let recipientPublicKey: [UInt8]
        /// The document's ID in the sender's store (`doc`).
        public let documentID: DocumentID
        /// When sharing was revoked, Unix seconds (`rat`, passed in).
        public let revokedAt: Int64

        /// Checks the fields.
        public init(senderPublicKey: [UInt8], recipientPublicKey: [UInt8], documentID: DocumentID, revokedAt: Int64) throws(ShareError) {
            guard senderPublicKey.count == 32 else { throw .invalidField(field: "frm", reason: "must be 32 bytes, is \(senderPublicKey.count)") }
            guard recipientPublicKey.count == 32 else { throw .invalidField(field: "to", reason: "must be 32 bytes, is \(recipientPublicKey.count)") }
            guard revokedAt >= 0 else { throw .invalidField(field: "rat", reason: "must not be negative, is \(revokedAt)") }
            self.senderPublicKey = senderPublicKey
            self.recipientPublicKey = recipientPublicKey
            self.documentID = documentID
            self.revokedAt = revokedAt
        }

        var dictionary: [[UInt8]: BencodeValue] {
            [Array("v".utf8): .integer(1),
             Array("frm".utf8): .bytes(senderPublicKey),
             Array("to".utf8): .bytes(recipientPublicKey),
             Array("doc".utf8): .bytes(documentID.bytes),
             Array("rat".utf8): .integer(revokedAt)]
        }

        /// The exact bytes the sender signs: the domain prefix, then the canonical bencoding of the body.
        public var signedBytes: [UInt8] { ShareRevocation.signatureDomain + BencodeValue.dictionary(dictionary).encoded() }

        /// The key this revocation is stored and looked up under: sender ‖ recipient ‖ document.
        public var pairKey: [UInt8] { senderPublicKey + recipientPublicKey + documentID.bytes }
    }

    /// The signed fields.
    public let body: Body
    /// The sender's Ed25519 signature over `body.signedBytes`.
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

    /// Parses a revocation strictly; does not check the signature (see `verify`).
    public init(decoding bytes: [UInt8]) throws(ShareError) {
        let f = try ShareFields(decoding: bytes, maxBytes: Self.maxEncodedBytes, what: "share revocation",
                                allowed: ["v", "frm", "to", "doc", "rat", "sig"])
        guard let doc = DocumentID(bytes: try f.bytes("doc", count: 16)) else { throw .malformed(field: "doc", reason: "is not 16 bytes") }
        do {
            body = try Body(senderPublicKey: try f.bytes("frm", count: 32), recipientPublicKey: try f.bytes("to", count: 32),
                            documentID: doc, revokedAt: try f.integer("rat"))
        } catch {
            if case let .invalidField(field, reason) = error { throw .malformed(field: field, reason: reason) }
            throw error
        }
        signature = try f.bytes("sig", count: SigningKeyPair.signatureBytes)
    }

    /// Throws `.badSignature` unless the sender named in the body signed it.
    public func verify() throws(ShareError) {
        guard Signature.verify(signature, message: body.signedBytes, publicKey: body.senderPublicKey) else { throw .badSignature(what: "share revocation") }
    }
}
