import VeectorEngine

/// The stored text form of a `BlockRole` (`embedding`, `layer.3`, `head`) and back, as manifests use it.
public enum BlockRoleName {
    /// The role's stored name (its `description`).
    public static func name(_ role: BlockRole) -> String { role.description }

    /// Parses a stored role name; nil when it is not `embedding`, `embedding.N`, `head` or `layer.N`
    /// with N ≥ 0 (no leading zeros).
    public static func role(_ name: String) -> BlockRole? {
        switch name {
        case "embedding": return .embedding
        case "head": return .head
        default:
            if let n = index(name, after: "layer.") { return .layer(n) }
            if let n = index(name, after: "embedding.") { return .embeddingShard(n) }
            return nil
        }
    }

    /// A sort key that puts the embedding (or its shards, in order) first, layers in order, then the head.
    public static func order(_ role: BlockRole) -> Int {
        switch role {
        case let .embeddingShard(n): return Int.min / 2 + n
        case .embedding: return -1
        case let .layer(n): return n
        case .head: return Int.max
        }
    }

    /// N in `prefixN` when N is a canonical non-negative integer.
    private static func index(_ name: String, after prefix: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard let n = Int(digits), n >= 0, String(n) == digits else { return nil }
        return n
    }
}
