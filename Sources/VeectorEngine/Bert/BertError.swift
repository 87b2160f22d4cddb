/// Why a BERT model could not be loaded or run, or a text could not be embedded. Each description says
/// what is wrong, where, and what to do about it.
public enum BertError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file of the model folder could not be read (missing, unreadable, not what it should be).
    case unreadableFile(path: String, reason: String)
    /// `config.json` is missing a field, has a wrong value, or describes a model this engine cannot run.
    case badConfiguration(path: String, reason: String)
    /// The weights could not supply a block, or a tensor is missing or has the wrong type or shape.
    case weights(WeightSourceError)
    /// The vocabulary could not be loaded.
    case tokenizer(TokenizerError)
    /// `embed` was called with no texts at all.
    case emptyInput
    /// Text number `index` is not valid UTF-8: the byte at `byteOffset` starts an invalid sequence.
    case invalidUTF8(index: Int, byteOffset: Int)
    /// A token id is outside the vocabulary (`vocabularySize` rows in the word embedding).
    case tokenOutOfRange(sequence: Int, position: Int, id: Int, vocabularySize: Int)
    /// A sequence is longer than the model's position embeddings, or empty.
    case badSequenceLength(sequence: Int, length: Int, maximum: Int)
    /// A token type id is outside the model's token type embeddings.
    case tokenTypeOutOfRange(sequence: Int, position: Int, type: Int, typeCount: Int)
    /// A parameter passed by the caller is out of range.
    case badArgument(String)

    /// What is wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read '\(path)': \(reason); check that the model folder is complete (config.json, vocab.txt, model.safetensors)"
        case let .badConfiguration(path, reason):
            return "model configuration '\(path)' cannot be used: \(reason); use a BERT config.json (e.g. all-MiniLM-L6-v2's)"
        case let .weights(error):
            return "model weights: \(error)"
        case let .tokenizer(error):
            return "tokenizer: \(error)"
        case .emptyInput:
            return "no texts were given to embed; pass at least one text (an empty string is a valid text)"
        case let .invalidUTF8(index, offset):
            return "text \(index) is not valid UTF-8: the byte at offset \(offset) starts an invalid sequence; decode the text to UTF-8 first"
        case let .tokenOutOfRange(sequence, position, id, size):
            return "sequence \(sequence), position \(position): token id \(id) is outside the vocabulary of \(size) tokens; "
                + "the tokenizer and the model do not match"
        case let .badSequenceLength(sequence, length, maximum):
            return "sequence \(sequence) has \(length) tokens; a sequence needs 1 to \(maximum) tokens (the model's position embeddings): "
                + "truncate it"
        case let .tokenTypeOutOfRange(sequence, position, type, count):
            return "sequence \(sequence), position \(position): token type \(type) is outside the model's \(count) token types"
        case let .badArgument(reason):
            return "bad argument: \(reason)"
        }
    }
}
