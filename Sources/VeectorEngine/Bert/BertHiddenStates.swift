/// The last hidden states of a batch after a BERT forward pass, packed: the sequences' tokens back to
/// back (no padding), `hiddenSize` floats per token. What pooling reads, plus the record of which
/// weights produced them.
public struct BertHiddenStates: Sendable {
    /// `tokenCount × hiddenSize` floats, sequence after sequence.
    public var values: [Float]
    /// Width of one token's state.
    public var hiddenSize: Int
    /// Where each sequence starts, in tokens; `sequenceStarts[i]..<sequenceStarts[i+1]` (the last one
    /// ends at `tokenCount`).
    public var sequenceStarts: [Int]
    /// Number of tokens of each sequence.
    public var sequenceLengths: [Int]
    /// The blocks read, in order (`embedding`, `layer.0`, …).
    public var blocks: [BlockRole]
    /// How many tensors of each type were read.
    public var tensorTypes: [GGMLType: Int]

    /// Total number of tokens.
    public var tokenCount: Int { sequenceLengths.reduce(0, +) }

    /// The state of token `position` of sequence `sequence`.
    public func state(sequence: Int, position: Int) -> ArraySlice<Float> {
        let start = (sequenceStarts[sequence] + position) * hiddenSize
        return values[start..<(start + hiddenSize)]
    }
}
