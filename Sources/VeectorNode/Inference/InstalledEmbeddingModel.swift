import Foundation
import VeectorBlocks
import VeectorEngine

/// An installed BERT sentence-embedding model (MiniLM) ready to embed from its blocks.
public final class InstalledEmbeddingModel: @unchecked Sendable {
    /// The model's local name.
    public let name: String
    /// The model's identity (its manifest's CID).
    public let modelCID: String
    /// The block cache the forward passes read through.
    public let cache: BlockCache
    /// The embedder (tokenise, forward, mean-pool, normalise).
    public let embedder: SentenceEmbedder

    /// Loads `name` from `store`.
    public init(store: ModelStore, name: String, settings: RunSettings) throws {
        let manifest = try store.manifest(named: name)
        guard manifest.arch == "bert" else { throw InferenceError.wrongArchitecture(model: name, arch: manifest.arch, needed: "bert") }
        guard let entry = manifest.tokenizer.first(where: { $0.kind == "wordpiece-vocab" }) else {
            throw InferenceError.incompleteModel(model: name, reason: "its manifest has no wordpiece-vocab tokenizer block")
        }
        let vocabulary = String(decoding: try store.contentBytes(entry.cid), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary.last == "" ? Array(vocabulary.dropLast()) : vocabulary)
        var json: [String: Any] = [:]
        for (key, value) in manifest.config {
            switch value {
            case let .int(v): json[key] = v
            case let .float(v): json[key] = Double(v)
            case let .string(v): json[key] = v
            case let .bool(v): json[key] = v
            }
        }
        let configuration = try BertConfiguration(json: try JSONSerialization.data(withJSONObject: json), path: "\(name) manifest")
        cache = try BlockCache(source: store, manifest: manifest, profile: settings.profile,
                               memoryBudget: settings.memoryBudget ?? Int.max / 4)
        embedder = try SentenceEmbedder(model: BertModel(configuration: configuration, weights: cache), tokenizer: tokenizer,
                                        threads: settings.threads, source: "\(name) (\(manifest.cid))")
        self.name = name
        modelCID = manifest.cid.description
    }
}
