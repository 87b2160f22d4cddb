import VeectorDB
import VeectorIdentity

/// What can stop reading or writing the node's identities and certificates; each message says what to do.
public enum NodeIdentityError: Error, CustomStringConvertible, Sendable {
    /// The database failed.
    case storage(StorageError)
    /// The user's vault refused (wrong passphrase, unknown user…).
    case vault(VaultError)
    /// A certificate or identity could not be made or checked.
    case identity(IdentityError)
    /// A stored identity record is damaged; `key` names it.
    case damagedRecord(key: String, reason: String)

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .storage(e): return e.description
        case let .vault(e): return e.description
        case let .identity(e): return e.description
        case let .damagedRecord(key, reason):
            return "the identity record '\(key)' in the node database is damaged (\(reason)); restore the node home from a backup"
        }
    }
}
