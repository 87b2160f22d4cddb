/// Why a model could not be run by the node. Each case says what to do.
public enum InferenceError: Error, Sendable, CustomStringConvertible {
    /// The model is installed but is not the kind the command needs.
    case wrongArchitecture(model: String, arch: String, needed: String)
    /// The model's manifest lacks something needed to run it.
    case incompleteModel(model: String, reason: String)
    /// Loading or running failed in the engine.
    case engine(String)

    public var description: String {
        switch self {
        case let .wrongArchitecture(model, arch, needed):
            return "model '\(model)' is a \(arch) model, but this command needs a \(needed) model "
                + "(install one with `veenode model import --from-pypi \(needed == "llama" ? "smollm2" : "minilm")`)"
        case let .incompleteModel(model, reason):
            return "model '\(model)' cannot run: \(reason); re-import it"
        case let .engine(message):
            return message
        }
    }
}
