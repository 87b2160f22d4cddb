import ContentID
import Foundation
import VeectorEngine

/// A model as a list of content-addressed parts: its configuration, its tokenizer blob(s) and, per
/// role, the CIDs of the installed variants. Stored as canonical JSON; its CID is the model's identity.
public struct ModelManifest: Sendable, Codable, Equatable {
    /// The manifest format version written (1).
    public static let currentFormat = 1

    /// Manifest format version.
    public var format: Int
    /// The architecture (`llama`, `bert`).
    public var arch: String
    /// Architecture metadata needed to run the model (GGUF `general.*`/`llama.*` scalars, or BERT's config.json).
    public var config: [String: ConfigValue]
    /// The tokenizer's blobs.
    public var tokenizer: [TokenizerEntry]
    /// One entry per role, embedding first, layers in order, head last.
    public var blocks: [RoleEntry]

    /// Makes a manifest.
    public init(arch: String, config: [String: ConfigValue], tokenizer: [TokenizerEntry], blocks: [RoleEntry]) {
        format = Self.currentFormat
        self.arch = arch
        self.config = config
        self.tokenizer = tokenizer
        self.blocks = blocks
    }

    /// The canonical bytes of the manifest.
    public func encoded() -> [UInt8] { BlockFormat.canonicalJSON(self) }

    /// The model's identity: the CID of `encoded()`.
    public var cid: CID { CID.sha256(of: encoded()) }

    /// Parses stored manifest bytes; throws `ModelManifestError` saying what is wrong.
    public static func decode(_ bytes: [UInt8]) throws(ModelManifestError) -> ModelManifest {
        let m: ModelManifest
        do { m = try JSONDecoder().decode(ModelManifest.self, from: Data(bytes)) } catch {
            throw .unreadable("\(error)")
        }
        guard m.format == currentFormat else { throw .unsupportedFormat(m.format) }
        for entry in m.blocks {
            guard let role = BlockRoleName.role(entry.role) else { throw .unreadable("unknown role '\(entry.role)'") }
            guard !entry.variants.isEmpty else { throw .unreadable("role \(entry.role) has no variant") }
            if case .embeddingShard = role {} else if entry.rows != nil {
                throw .unreadable("role \(entry.role) states rows; only embedding.N shards do")
            }
        }
        _ = try m.shardRows()
        return m
    }

    /// The rows of each token-table shard `embedding.0…` in order, or empty when the table is one
    /// `embedding` block. Throws when the shards do not tile rows 0..<end without gaps.
    func shardRows() throws(ModelManifestError) -> [Range<Int>] {
        var byIndex: [Int: RoleEntry] = [:]
        for e in blocks { if case let .embeddingShard(n)? = BlockRoleName.role(e.role) { byIndex[n] = e } }
        guard !byIndex.isEmpty else { return [] }
        guard entry(.embedding) == nil else { throw .unreadable("it has both an embedding block and embedding.N shards") }
        var out: [Range<Int>] = []
        for n in 0..<byIndex.count {
            guard let e = byIndex[n] else { throw .unreadable("embedding shards are not numbered 0..<\(byIndex.count): embedding.\(n) is missing") }
            guard let r = e.rows, r.count == 2, r[0] == (out.last?.upperBound ?? 0), r[0] < r[1] else {
                throw .unreadable("embedding.\(n) rows \(e.rows.map { "\($0)" } ?? "missing") do not continue the shards before it (rows \(out.last?.upperBound ?? 0)…)")
            }
            out.append(r[0]..<r[1])
        }
        return out
    }

    /// The entry for `role`, if the model has it.
    public func entry(_ role: BlockRole) -> RoleEntry? {
        let name = BlockRoleName.name(role)
        return blocks.first { $0.role == name }
    }

    /// Every block CID of every variant, and every tokenizer blob: what must be stored.
    public var allContentIDs: [CID] { tokenizer.map(\.cid) + blocks.flatMap { $0.variants.map(\.cid) } }

    /// The number of transformer layers.
    public var layerCount: Int { blocks.filter { $0.role.hasPrefix("layer.") }.count }
}

/// Why a model manifest could not be read.
public enum ModelManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a model manifest.
    case unreadable(String)
    /// Written by a newer version.
    case unsupportedFormat(Int)

    public var description: String {
        switch self {
        case let .unreadable(reason): return "model manifest is unreadable: \(reason); re-import the model"
        case let .unsupportedFormat(v): return "model manifest format \(v) is newer than this build reads (\(ModelManifest.currentFormat)); update veenode"
        }
    }
}

/// A tokenizer blob named in a model manifest.
public struct TokenizerEntry: Sendable, Codable, Equatable {
    /// `gguf-metadata` (a GGUF file holding only the `tokenizer.*` keys) or `wordpiece-vocab` (vocab.txt).
    public var kind: String
    /// The blob's CID.
    public var cid: CID
    /// Its size in bytes.
    public var bytes: Int

    /// Names a tokenizer blob.
    public init(kind: String, cid: CID, bytes: Int) {
        self.kind = kind
        self.cid = cid
        self.bytes = bytes
    }
}

/// One role of a model: the blocks that can serve it and what it borrows from other roles.
public struct RoleEntry: Sendable, Codable, Equatable {
    /// `embedding`, `layer.N` or `head`.
    public var role: String
    /// Roles whose blocks this one borrows tensors from (must be loaded with it).
    public var needs: [String]
    /// Installed variants, best first.
    public var variants: [VariantEntry]
    /// For a token-table shard (`embedding.N`): its first and one-past-last vocabulary row; absent otherwise.
    public var rows: [Int]?

    /// Makes a role entry (variants are sorted best first).
    public init(role: String, needs: [String], variants: [VariantEntry], rows: [Int]? = nil) {
        self.role = role
        self.needs = needs
        self.variants = variants.sorted { $0.variant > $1.variant }
        self.rows = rows
    }

    /// The stored variant of that nest level, if any.
    public func variant(_ v: Variant) -> VariantEntry? { variants.first { $0.variant == v } }
}

/// One installed variant of a role: which nest level, its block CID and its size.
public struct VariantEntry: Sendable, Codable, Equatable {
    /// The nest level.
    public var variant: Variant
    /// The block's CID.
    public var cid: CID
    /// The block's size in bytes.
    public var bytes: Int

    /// Names a block.
    public init(variant: Variant, cid: CID, bytes: Int) {
        self.variant = variant
        self.cid = cid
        self.bytes = bytes
    }
}
