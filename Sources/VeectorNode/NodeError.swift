import VeectorDB

/// What can stop a node command; each message says what to do.
public enum NodeError: Error, CustomStringConvertible, Sendable {
    /// The home folder has not been set up.
    case notInitialized(home: String)
    /// `init` was run on a home that already holds a node.
    case alreadyInitialized(home: String)
    /// Another process is using the home folder.
    case busy(home: String, holder: String)
    /// The home's configuration file is unreadable.
    case badConfiguration(path: String, reason: String)
    /// A failure in the database, the vault or the documents.
    case storage(StorageError)
    case vault(VaultError)
    case documents(DocumentError)
    case blobs(BlobError)

    public var description: String {
        switch self {
        case let .notInitialized(home):
            return "no node at \(home). Run `veenode init` first (or pass --home / set VEENODE_HOME)."
        case let .alreadyInitialized(home):
            return "\(home) already holds a node; nothing was changed. Use `veenode user add` for another user."
        case let .busy(home, holder):
            return "another veenode process (\(holder)) is using \(home). Wait for it to finish or stop it."
        case let .badConfiguration(path, reason):
            return "cannot read \(path): \(reason)"
        case let .storage(e): return e.description
        case let .vault(e): return e.description
        case let .documents(e): return e.description
        case let .blobs(e): return e.description
        }
    }
}
