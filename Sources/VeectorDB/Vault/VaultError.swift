#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong in the vault (user key files and document-key wrapping), with a message that
/// tells the user what happened and what to do.
public enum VaultError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The passphrase does not open this user's key file. Nothing was changed.
    case wrongPassphrase(user: String)
    /// No key file for this user; `available` lists the users that do exist.
    case userNotFound(String, available: [String])
    /// A key file for this user already exists.
    case userExists(String)
    /// The user name is not 1–32 characters of a–z, 0–9, "_" and "-".
    case invalidUserName(String)
    /// The passphrase cannot be used (for example, it is empty).
    case invalidPassphrase(String)
    /// The key file is damaged or is not a key file; the reason says which check failed.
    case damagedKeyFile(path: String, reason: String)
    /// The key file was written by a newer format version than this program reads.
    case unsupportedKeyFileVersion(path: String, version: UInt8)
    /// A file operation failed; `errno` is the system error number.
    case io(path: String, operation: String, errno: Int32)
    /// Argon2id could not run (usually not enough memory for the profile).
    case keyDerivationFailed(String)
    /// A wrapped document key did not open: wrong user, wrong document, or damaged.
    case documentKeyRejected(user: String, reason: String)

    public var description: String {
        switch self {
        case let .wrongPassphrase(user):
            return "wrong passphrase for user '\(user)': nothing was changed; try again"
        case let .userNotFound(name, available):
            let list = available.isEmpty ? "there are no users yet; create one first" : "existing users: " + available.joined(separator: ", ")
            return "no user named '\(name)' in this vault (\(list))"
        case let .userExists(name):
            return "user '\(name)' already exists: nothing was changed; unlock it, or choose another name"
        case let .invalidUserName(name):
            return "invalid user name '\(name)': use 1 to 32 characters of a-z, 0-9, '_' and '-'"
        case let .invalidPassphrase(reason):
            return "unusable passphrase: \(reason)"
        case let .damagedKeyFile(path, reason):
            return "the key file \(path) is damaged (\(reason)); restore it from a backup — without it this user's documents cannot be decrypted"
        case let .unsupportedKeyFileVersion(path, version):
            return "the key file \(path) has format version \(version), newer than this program reads; upgrade Veector"
        case let .io(path, operation, code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code)); check the path, permissions and free disk space"
        case let .keyDerivationFailed(reason):
            return "could not derive the key from the passphrase: \(reason)"
        case let .documentKeyRejected(user, reason):
            return "the wrapped document key does not open for user '\(user)': \(reason)"
        }
    }
}
