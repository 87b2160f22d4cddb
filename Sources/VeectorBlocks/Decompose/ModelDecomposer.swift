import ContentID
import Dispatch
import Foundation
import VeectorEngine

/// Splits a model file into self-contained blocks (embedding, one per layer, head), makes the
/// requested variants of each layer, and describes the whole in a `ModelManifest`.
///
/// Blocks and tokenizer blobs are handed to a `store` closure as they are made (so a whole model is
/// never held in memory twice); the manifest is returned for the caller to store where manifests go
/// (`manifest.encoded()`, under `manifest.cid`, the model's identity).
/// Sources: a llama GGUF file, or a BERT folder (`model.safetensors`, `config.json`, `vocab.txt`).
public struct ModelDecomposer: Sendable {
    /// Receives each finished blob: its CID and bytes.
    public typealias Store = (CID, [UInt8]) throws -> Void

    /// Which variants to make for layer blocks (ultimate is always made). A variant that would change
    /// nothing for this source (e.g. `pro` of a 4-bit model) is skipped.
    public var variants: Set<Variant>
    /// How a llama token table is stored (default: row shards, see `TokenTableLayout.standard`).
    public var tokenTable: TokenTableLayout

    /// A decomposer making `variants` (default: all three), storing a llama token table as `tokenTable`.
    public init(variants: Set<Variant> = Set(Variant.allCases), tokenTable: TokenTableLayout = .standard) {
        self.variants = variants.union([.ultimate])
        self.tokenTable = tokenTable
    }

    /// Decomposes the model at `path`: a `.gguf` file, or a folder holding `model.safetensors`.
    public func decompose(path: String, store: Store) throws(DecomposeError) -> ModelManifest {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missingFile(path: path) }
        if isDirectory.boolValue {
            guard FileManager.default.fileExists(atPath: path + "/model.safetensors") else { throw .unrecognized(path: path) }
            return try decomposeBERT(folder: path, store: store)
        }
        return try decomposeGGUF(path: path, store: store)
    }

    /// Decomposes a llama GGUF file.
    public func decomposeGGUF(path: String, store: Store) throws(DecomposeError) -> ModelManifest {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .unreadable(path: path, reason: "\(error)") }
        let recipes = try LlamaLayout.recipes(file, path: path, table: tokenTable)
        var config: [String: ConfigValue] = [:]
        var tokenizerEntries: [(key: String, value: GGUFValue)] = []
        for key in file.metadataKeys {
            let value = file.metadata[key]!
            if key.hasPrefix("tokenizer.") {
                tokenizerEntries.append((key, value))
            } else if key != "general.alignment", let v = Self.configValue(value) {
                config[key] = v
            }
        }
        guard !tokenizerEntries.isEmpty else { throw .missing(what: "the tokenizer metadata (tokenizer.*)", path: path) }
        let tokenizer = GGUFBuilder.write(tokenizerEntries)
        let tokenizerCID = CID.sha256(of: tokenizer)
        try put(store, tokenizerCID, tokenizer)
        return try build(arch: "llama", config: config,
                         tokenizer: [TokenizerEntry(kind: "gguf-metadata", cid: tokenizerCID, bytes: tokenizer.count)],
                         recipes: recipes, store: store)
    }

    /// Decomposes a BERT folder (`model.safetensors`, `config.json`, `vocab.txt`).
    public func decomposeBERT(folder: String, store: Store) throws(DecomposeError) -> ModelManifest {
        let configPath = folder + "/config.json", vocabPath = folder + "/vocab.txt", modelPath = folder + "/model.safetensors"
        for p in [configPath, vocabPath, modelPath] where !FileManager.default.fileExists(atPath: p) { throw .missingFile(path: p) }
        var config: [String: ConfigValue] = [:]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: configPath))
            for (key, value) in try JSONDecoder().decode([String: ScalarOrNothing].self, from: data) {
                if let v = value.value { config[key] = v }
            }
        } catch { throw .unreadable(path: configPath, reason: "not a JSON object (\(error))") }
        let modelType = config["model_type"]?.stringValue ?? "?"
        guard modelType == "bert" else { throw .unsupportedArchitecture(modelType) }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: modelPath) } catch { throw .unreadable(path: modelPath, reason: "\(error)") }
        let recipes = try BertLayout.recipes(file, config: config, path: modelPath)
        guard let vocab = FileManager.default.contents(atPath: vocabPath), !vocab.isEmpty else {
            throw .unreadable(path: vocabPath, reason: "empty or unreadable")
        }
        let vocabBytes = Array(vocab)
        let vocabCID = CID.sha256(of: vocabBytes)
        try put(store, vocabCID, vocabBytes)
        return try build(arch: "bert", config: config,
                         tokenizer: [TokenizerEntry(kind: "wordpiece-vocab", cid: vocabCID, bytes: vocabBytes.count)],
                         recipes: recipes, store: store)
    }

    /// Builds every block (two at a time, one per core), stores them and assembles the manifest.
    private func build(arch: String, config: [String: ConfigValue], tokenizer: [TokenizerEntry],
                       recipes: [BlockRecipe], store: Store) throws(DecomposeError) -> ModelManifest {
        var jobs: [(recipe: Int, variant: Variant)] = []
        for (i, r) in recipes.enumerated() {
            for v in Variant.allCases.sorted(by: >) where v == .ultimate
                || (r.hasVariants && variants.contains(v) && SourceTensor.variantIsMeaningful(v, r.tensors)) {
                jobs.append((i, v))
            }
        }
        var entries: [[VariantEntry]] = Array(repeating: [], count: recipes.count)
        let results = ResultSlots(count: 2)
        var start = 0
        while start < jobs.count {
            let batch = Array(jobs[start..<min(start + 2, jobs.count)])
            DispatchQueue.concurrentPerform(iterations: batch.count) { slot in
                let job = batch[slot]
                results.set(slot, Result { () throws(DecomposeError) in try recipes[job.recipe].build(arch: arch, variant: job.variant) })
            }
            for (slot, job) in batch.enumerated() {
                let block: EncodedBlock
                switch results.take(slot) {
                case let .success(b): block = b
                case let .failure(e): throw e
                }
                try put(store, block.cid, block.bytes)
                entries[job.recipe].append(VariantEntry(variant: job.variant, cid: block.cid, bytes: block.bytes.count))
            }
            start += batch.count
        }
        let roles = zip(recipes, entries).map { r, e in
            RoleEntry(role: BlockRoleName.name(r.role), needs: Array(Set(r.needs.map(\.role))).sorted(), variants: e, rows: r.rows)
        }
        return ModelManifest(arch: arch, config: config, tokenizer: tokenizer, blocks: roles)
    }

    private func put(_ store: Store, _ cid: CID, _ bytes: [UInt8]) throws(DecomposeError) {
        do { try store(cid, bytes) } catch let e as DecomposeError { throw e } catch { throw .store("\(error)") }
    }

    /// A GGUF scalar as a config value (arrays are left out).
    static func configValue(_ value: GGUFValue) -> ConfigValue? {
        switch value {
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case let .float32(f): return .float(f)
        case let .float64(f): return .float(Float(f))
        default: return value.intValue.map(ConfigValue.int)
        }
    }
}

/// One result per concurrent worker; each worker writes only its own box.
private final class ResultSlots: Sendable {
    private final class Box: @unchecked Sendable { var result: Result<EncodedBlock, DecomposeError>? }
    private let boxes: [Box]
    init(count: Int) { boxes = (0..<count).map { _ in Box() } }
    func set(_ i: Int, _ r: Result<EncodedBlock, DecomposeError>) { boxes[i].result = r }
    func take(_ i: Int) -> Result<EncodedBlock, DecomposeError> {
        defer { boxes[i].result = nil }
        return boxes[i].result!
    }
}

/// A config.json value kept when it is a scalar (arrays and objects are left out).
private struct ScalarOrNothing: Decodable {
    var value: ConfigValue?
    init(from decoder: any Decoder) throws { value = try? ConfigValue(from: decoder) }
}
