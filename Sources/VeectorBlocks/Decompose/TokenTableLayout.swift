/// How a llama model's token table (`token_embd.weight`, also the output projection of a tied head) is
/// stored: one block, or row shards that stream through a memory budget smaller than the table.
public enum TokenTableLayout: Sendable, Equatable {
    /// One `embedding` block; a tied head borrows the table from it. The layout of models imported
    /// before shards existed: kept so old manifests keep working and can be made for tests.
    case single
    /// At most `count` blocks `embedding.0…` of ⌈vocab / count⌉ contiguous rows each (the last one shorter).
    case sharded(Int)

    /// What imports use: 16 shards (for SmolLM2, 3 072 rows and 1.9 MB each, smaller than one layer).
    public static let standard = TokenTableLayout.sharded(16)

    /// The row ranges of at most `count` shards of ⌈rows / count⌉ rows over `rows` rows (at least one shard).
    public static func shardRows(rows: Int, count: Int) -> [Range<Int>] {
        let per = (rows + max(1, count) - 1) / max(1, count)
        return stride(from: 0, to: rows, by: max(1, per)).map { $0..<min(rows, $0 + per) }
    }
}
