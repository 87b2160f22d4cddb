/// Why a tokenizer could not be built from a vocabulary, merges or a model file. Every message names
/// the key, token or file involved and says what to check.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A GGUF metadata key the tokenizer needs is absent.
    case missingMetadata(key: String)
    /// A GGUF metadata key has the wrong type or an impossible value.
    case badMetadata(key: String, reason: String)
    /// The GGUF asks for a tokenizer model or pre-tokenizer that Veector does not implement.
    case unsupported(what: String, value: String)
    /// A merge rule is not two space-separated tokens of the vocabulary, or its result is not one.
    case badMerge(index: Int, merge: String)
    /// A token the tokenizer needs (such as `[UNK]`, `[CLS]`, `[SEP]`) is not in the vocabulary.
    case missingToken(String)
    /// The same token text appears twice in a vocabulary.
    case duplicateToken(String, index: Int)
    /// A vocabulary file could not be read.
    case unreadableFile(path: String, reason: String)

    /// A message that names the key, token or file and says what to check.
    public var description: String {
        switch self {
        case let .missingMetadata(key):
            return "the GGUF has no metadata key \(key); it is not a byte-level BPE model file"
        case let .badMetadata(key, reason):
            return "GGUF metadata \(key) is unusable: \(reason)"
        case let .unsupported(what, value):
            return "unsupported \(what) \"\(value)\"; Veector implements the gpt2 model with the smollm pre-tokenizer"
        case let .badMerge(index, merge):
            return "merge #\(index) \"\(merge)\" is not two vocabulary tokens whose concatenation is a token"
        case let .missingToken(token):
            return "the vocabulary has no \(token) token"
        case let .duplicateToken(token, index):
            return "token \"\(token)\" appears twice in the vocabulary (again at index \(index))"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
