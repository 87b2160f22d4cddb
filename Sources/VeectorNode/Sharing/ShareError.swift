import VeectorDB

/// Why sharing a document, or receiving one, did not happen; every message says what to do.
/// Whenever one of these is thrown on the receiving side, nothing was imported.
public enum ShareError: Error, CustomStringConvertible, Sendable {
    /// A record being made has a field out of range.
    case invalidField(field: String, reason: String)
    /// A user key given on the command line or in a record is not usable.
    case invalidKey(what: String, reason: String)
    /// The bytes are not a share record or revocation this program can read; `field` names the part at fault.
    case malformed(field: String, reason: String)
    /// The Ed25519 signature does not verify: the record was changed, or another key signed it.
    case badSignature(what: String)
    /// The record is addressed to another user (public keys in hex).
    case wrongRecipient(expected: String, found: String)
    /// The share's offer ended at `expiresAt` (Unix seconds), before `now`.
    case expired(expiresAt: Int64, now: Int64)
    /// The share claims to be made at `createdAt`, later than `now` allows.
    case notYetValid(createdAt: Int64, now: Int64)
    /// The sender revoked sharing this document with this recipient.
    case revoked(document: String, revokedAt: Int64)
    /// The sealed document key does not open with this user's key (sealed to someone else, or changed).
    case keyRejected
    /// The sealed document key names another sender than the record: it was lifted into a forged record.
    case senderMismatch
    /// The file transport's file is not a share file this program can read.
    case badFile(path: String, reason: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// The package was refused.
    case package(PackageError)
    /// The sender's documents refused (no such document, wrong version…).
    case document(DocumentError)
    /// The recipient's inbox refused.
    case inbox(InboxError)
    /// The vault refused (wrong passphrase, unknown user…).
    case vault(VaultError)
    /// The user's identity could not be read.
    case identity(NodeIdentityError)
    /// The database failed.
    case storage(StorageError)
    /// The blob store failed.
    case blob(BlobError)

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .invalidField(field, reason):
            return "cannot share: '\(field)' \(reason)"
        case let .invalidKey(what, reason):
            return "the \(what) \(reason); ask its owner to run `veenode share key` and send you the 64 hex characters it prints"
        case let .malformed(field, reason):
            return "not a valid Veector share record: '\(field)' \(reason); nothing was imported. Ask the sender to share the document again."
        case let .badSignature(what):
            return "the \(what)'s signature does not verify: it was changed or signed by another key; nothing was imported"
        case let .wrongRecipient(expected, found):
            return "this share is addressed to user key \(found), not to you (\(expected)); nothing was imported. Only its recipient can open it."
        case let .expired(expiresAt, now):
            return "the share expired at \(expiresAt) (now \(now)); nothing was imported. Ask the sender to share the document again."
        case let .notYetValid(createdAt, now):
            return "the share is dated \(createdAt), in the future (now \(now)); check both clocks. Nothing was imported."
        case let .revoked(document, revokedAt):
            return "sharing of document \(document) with this user was revoked at \(revokedAt); it cannot be shared or imported again (copies already fetched are not recalled)"
        case .keyRejected:
            return "the document key in this share does not open with your key: it was sealed to another user or changed in transit; nothing was imported"
        case .senderMismatch:
            return "the document key in this share was sealed by another sender than the one who signed the record: the record is forged; nothing was imported"
        case let .badFile(path, reason):
            return "\(path) is not a Veector share file: \(reason); nothing was imported. Ask the sender for the file again."
        case let .io(path, message):
            return "\(path): \(message)"
        case let .package(e): return e.description
        case let .document(e): return e.description
        case let .inbox(e): return e.description
        case let .vault(e): return e.description
        case let .identity(e): return e.description
        case let .storage(e): return e.description
        case let .blob(e): return e.description
        }
    }
}
