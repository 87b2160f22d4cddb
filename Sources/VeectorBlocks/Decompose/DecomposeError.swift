/// Why a model could not be decomposed into blocks. Each message names the file or tensor and what to do.
public enum DecomposeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path is neither a `.gguf` file nor a folder with `model.safetensors`.
    case unrecognized(path: String)
    /// A file is missing from a model folder.
    case missingFile(path: String)
    /// The model file is damaged or not in the expected format.
    case unreadable(path: String, reason: String)
    /// The architecture is not one Veector decomposes.
    case unsupportedArchitecture(String)
    /// A tensor or metadata entry the architecture requires is absent.
    case missing(what: String, path: String)
    /// A tensor cannot go into a block (type, shape, values).
    case badTensor(name: String, reason: String)
    /// Storing a block failed.
    case store(String)

    public var description: String {
        switch self {
        case let .unrecognized(path):
            return "\(path) is not a model: give a .gguf file or a folder holding model.safetensors, config.json and vocab.txt"
        case let .missingFile(path):
            return "\(path) is missing: a safetensors model folder needs model.safetensors, config.json and vocab.txt"
        case let .unreadable(path, reason):
            return "cannot read \(path), a damaged or incomplete model file: \(reason)"
        case let .unsupportedArchitecture(arch):
            return "architecture '\(arch)' is not supported: Veector decomposes llama (GGUF) and bert (safetensors) models"
        case let .missing(what, path):
            return "\(path) lacks \(what), which the architecture needs; the file is incomplete"
        case let .badTensor(name, reason):
            return "tensor '\(name)': \(reason)"
        case let .store(reason):
            return "could not store a block: \(reason)"
        }
    }
}
