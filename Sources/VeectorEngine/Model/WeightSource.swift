/// Which room of a model a group of weights belongs to.
///
/// A model is split into self-contained blocks: the token embedding, each transformer layer, and the
/// head (final norm + output projection). A forward pass asks for one block at a time, which is what
/// lets it run under a memory budget and what lets a block be replaced or fetched alone.
public enum BlockRole: Hashable, Sendable, CustomStringConvertible {
    /// Token (and for BERT, position and type) embeddings.
    case embedding
    /// Transformer layer `n`, counted from 0.
    case layer(Int)
    /// The final norm and output projection (for BERT: nothing is needed past the last layer).
    case head
    /// Shard `n` of a token table split into row shards (contiguous vocabulary rows, see
    /// `WeightSource.tokenTableShards`): what the embedding lookup and a tied head read instead of one
    /// whole-table `embedding` block, so a memory budget below the table's size still works.
    case embeddingShard(Int)

    /// `embedding`, `layer.3`, `head`.
    public var description: String {
        switch self {
        case .embedding: return "embedding"
        case let .layer(n): return "layer.\(n)"
        case .head: return "head"
        case let .embeddingShard(n): return "embedding.\(n)"
        }
    }
}

/// The weights of one block, held for as long as a forward pass uses them.
///
/// Tensor names are local to the block: a llama layer holds `attn_q.weight`, not `blk.3.attn_q.weight`.
public final class WeightBlock: @unchecked Sendable {
    /// Which block this is.
    public let role: BlockRole
    /// The block's tensors by local name.
    public let tensors: [String: Tensor]

    /// Groups tensors into a block.
    public init(role: BlockRole, tensors: [String: Tensor]) {
        self.role = role
        self.tensors = tensors
    }

    /// The named tensor, or `WeightSourceError.missingTensor`.
    public func tensor(_ name: String) throws(WeightSourceError) -> Tensor {
        guard let t = tensors[name] else { throw .missingTensor(block: role, name: name) }
        return t
    }
}

/// Supplies a model's weights one block at a time.
///
/// Implemented over a whole model file (everything mapped, nothing to evict) and over content-addressed
/// blocks loaded through a cache bounded by a memory budget. Forward passes call `prefetch` for the
/// block they will need next, so loading overlaps computing.
public protocol WeightSource: AnyObject, Sendable {
    /// The weights of `role`, loaded (and verified) if needed.
    func block(_ role: BlockRole) throws(WeightSourceError) -> WeightBlock
    /// A hint that `role` is needed soon; loading may start in the background. Never throws: a failure
    /// surfaces from the later `block(_:)` call.
    func prefetch(_ role: BlockRole)
    /// The vocabulary rows held by each `.embeddingShard(n)` block, in order (shard `n` holds rows
    /// `tokenTableShards[n]` of `token_embd.weight`), or empty when the whole table is one `.embedding` block.
    var tokenTableShards: [Range<Int>] { get }
}

extension WeightSource {
    /// By default a prefetch hint is ignored.
    public func prefetch(_ role: BlockRole) {}
    /// By default the token table is one `.embedding` block.
    public var tokenTableShards: [Range<Int>] { [] }
}
