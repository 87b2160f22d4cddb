/// The self-description at the start of every block: what it computes and where each tensor's bytes are.
///
/// Stored as canonical JSON (see `Spec/blocks.md`): keys sorted, no whitespace, integers only. Two
/// blocks with the same manifest and tensor bytes are the same bytes, hence the same CID.
public struct BlockManifest: Sendable, Codable, Equatable {
    /// The model architecture the block belongs to (`llama`, `bert`).
    public var arch: String
    /// Which room of the model: `embedding`, `layer.N` or `head` (see `BlockRoleName`).
    public var role: String
    /// The nest level of the stored weights.
    public var variant: Variant
    /// Shape of one input position (`[]` for token ids into an embedding; `[hidden]` otherwise).
    public var input: [Int]
    /// Shape of one output position (`[hidden]`, or `[vocab]` for a language-model head).
    public var output: [Int]
    /// The tensors stored in this block, sorted by name.
    public var tensors: [BlockTensorEntry]
    /// Tensors this block uses but does not store, taken from another block of the same model.
    public var needs: [BlockNeed]
    /// For a token-table shard (`embedding.N`): the first and one-past-last vocabulary row it holds.
    /// Absent (not written) for every other block.
    public var rows: [Int]?

    /// Describes a block.
    public init(arch: String, role: String, variant: Variant, input: [Int], output: [Int],
                tensors: [BlockTensorEntry], needs: [BlockNeed], rows: [Int]? = nil) {
        self.arch = arch
        self.role = role
        self.variant = variant
        self.input = input
        self.output = output
        self.tensors = tensors
        self.needs = needs
        self.rows = rows
    }
}

/// One tensor stored in a block: its local name, element type, ggml-order dimensions and byte range.
public struct BlockTensorEntry: Sendable, Codable, Equatable {
    /// Local name (e.g. `attn_q.weight`).
    public var name: String
    /// ggml type name: `F32`, `F16`, `BF16`, `Q4_0`, `Q4_1` or `Q8_0`.
    public var type: String
    /// Dimensions in ggml order (`dims[0]` is the row length).
    public var dims: [Int]
    /// Offset of the first byte from the start of the data section (a multiple of 64).
    public var offset: Int
    /// Number of bytes.
    public var length: Int

    /// Describes a stored tensor.
    public init(name: String, type: String, dims: [Int], offset: Int, length: Int) {
        self.name = name
        self.type = type
        self.dims = dims
        self.offset = offset
        self.length = length
    }
}

/// A tensor a block borrows from another block of the same model (e.g. a head tied to the token
/// embedding): the cache hands the very same tensor, so the weights are stored once.
public struct BlockNeed: Sendable, Codable, Equatable, Hashable {
    /// The role of the block that stores the tensor.
    public var role: String
    /// The tensor's local name in that block.
    public var tensor: String
    /// The name under which this block exposes it.
    public var `as`: String

    /// Declares a borrowed tensor.
    public init(role: String, tensor: String, as name: String) {
        self.role = role
        self.tensor = tensor
        self.as = name
    }
}
