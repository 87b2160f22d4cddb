import VeectorBlocks
import VeectorEngine

/// An installed llama-architecture model (SmolLM2) ready to generate from its blocks: the generator
/// over a budgeted `BlockCache`, the BPE tokenizer and the chat template rebuilt from the manifest.
public final class InstalledLanguageModel: @unchecked Sendable {
    /// The model's local name.
    public let name: String
    /// The model's identity (its manifest's CID).
    public let modelCID: String
    /// The block cache the forward passes read through (statistics and provenance live here).
    public let cache: BlockCache
    /// The generator.
    public let generator: LlamaGenerator
    /// Byte-level BPE from the model's tokenizer block.
    public let tokenizer: BytePairTokenizer
    /// The chat template from the model's metadata.
    public let template: ChatTemplate

    /// Loads `name` from `store` (nothing is read beyond the manifest and tokenizer until it runs).
    public init(store: ModelStore, name: String, settings: RunSettings,
                precision: ComputePrecision = .exact) throws {
        let manifest = try store.manifest(named: name)
        guard manifest.arch == "llama" else { throw InferenceError.wrongArchitecture(model: name, arch: manifest.arch, needed: "llama") }
        guard let entry = manifest.tokenizer.first(where: { $0.kind == "gguf-metadata" }) else {
            throw InferenceError.incompleteModel(model: name, reason: "its manifest has no gguf-metadata tokenizer block")
        }
        // Rebuild one GGUF header holding the configuration and the tokenizer, so the engine reads and
        // checks both exactly as it does for a model file.
        let tokenizerBytes = try store.contentBytes(entry.cid)
        let tokenizerFile = try GGUFFile(file: MappedFile(copying: tokenizerBytes, name: "\(name) tokenizer block \(entry.cid)"))
        var entries: [(key: String, value: GGUFValue)] = manifest.config.sorted { $0.key < $1.key }.map { ($0.key, $0.value.ggufValue) }
        for key in tokenizerFile.metadataKeys { if let v = tokenizerFile[key] { entries.append((key, v)) } }
        let header = try GGUFFile(file: MappedFile(copying: GGUFBuilder.write(entries), name: "\(name) manifest"))
        let configuration = try LlamaConfiguration(gguf: header)
        tokenizer = try BytePairTokenizer(gguf: header)
        template = header["tokenizer.chat_template"]?.stringValue.map(ChatTemplate.init(jinja:)) ?? ChatTemplate()
        cache = try BlockCache(source: store, manifest: manifest, profile: settings.profile,
                               memoryBudget: settings.memoryBudget ?? Int.max / 4)
        let model = try LlamaModel(configuration: configuration, source: cache, precision: precision,
                                   threads: settings.threads)
        generator = LlamaGenerator(model: model)
        self.name = name
        modelCID = manifest.cid.description
    }
}

extension ConfigValue {
    /// The GGUF metadata value this configuration value came from (integers as int64, floats as float32).
    var ggufValue: GGUFValue {
        switch self {
        case let .int(v): return .int64(Int64(v))
        case let .float(v): return .float32(v)
        case let .string(v): return .string(v)
        case let .bool(v): return .bool(v)
        }
    }
}
