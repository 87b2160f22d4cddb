import ContentID
import VeectorBlocks
import VeectorDB

/// Why a model command failed; each message says what to do.
public enum ModelStoreError: Error, Sendable, CustomStringConvertible {
    /// No model is installed under this name.
    case notFound(name: String)
    /// A model name must be 1–128 letters, digits, `.`, `-` or `_`.
    case invalidName(String)
    /// A variant name other than lite, pro, ultimate.
    case invalidVariant(String)
    /// The model file could not be decomposed.
    case decompose(DecomposeError)
    /// The stored manifest is unreadable.
    case manifest(name: String, ModelManifestError)
    /// The database failed.
    case storage(String)
    /// A model named for `--from-pypi` is unknown, or fetching it failed.
    case fetch(String)

    public var description: String {
        switch self {
        case let .notFound(name): return "no model named '\(name)' is installed; see `veenode model list`, or import it with `veenode model import`"
        case let .invalidName(name): return "'\(name)' is not a valid model name: use 1–128 letters, digits, '.', '-' or '_'"
        case let .invalidVariant(v): return "'\(v)' is not a variant: use lite, pro or ultimate"
        case let .decompose(e): return e.description
        case let .manifest(name, e): return "model '\(name)': \(e.description)"
        case let .storage(reason): return "the node's database failed: \(reason); run `veenode db check`"
        case let .fetch(reason): return reason
        }
    }
}
