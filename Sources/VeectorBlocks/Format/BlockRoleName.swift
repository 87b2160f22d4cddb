import VeectorEngine

/// The stored text form of a `BlockRole` (`embedding`, `layer.3`, `head`) and back, as manifests use it.
public enum BlockRoleName {
    /// The role's stored name (its `description`).
    public static func name(_ role: BlockRole) -> String { role.description }

    /// Parses a stored role name; nil when it is not `embedding`, `head` or `layer.N` with N ≥ 0.
    public static func role(_ name: String) -> BlockRole? {
        switch name {
        case "embedding": return .embedding
        case "head": return .head
        default:
            guard name.hasPrefix("layer."), let n = Int(name.dropFirst(6)), n >= 0,
                  String(n) == name.dropFirst(6) else { return nil }
            return .layer(n)
        }
    }

    /// A sort key that puts the embedding first, layers in order, then the head.
    public static func order(_ role: BlockRole) -> Int {
        switch role {
        case .embedding: return -1
        case let .layer(n): return n
        case .head: return Int.max
        }
    }
}
