import CVeectorKernels
import Foundation

/// The state of one generation run: the sequence's KV cache, the tokens kept so far, why it stopped,
/// and the bookkeeping its provenance is built from. Shared by every decoding strategy.
struct DecodingRun {
    let model: LlamaModel
    let options: GenerationOptions
    let stopTokens: Set<Int>
    var cache: LlamaKVCache
    var product: MatrixProduct
    var strategy: GenerationProvenance.Strategy = .plain
    var tokens: [Int] = []
    var layersPerToken: [Int] = []
    var usedLayers = IndexSet()
    var stopReason: GenerationResult.StopReason?
    var promptTokens = 0
    var promptSeconds = 0.0
    var generationStart = ContinuousClock.now
    var drafted = 0
    var accepted = 0
    var beamLogProbability: Double?
    var beamScore: Double?

    init(model: LlamaModel, contextWindow: Int, options: GenerationOptions) {
        self.model = model
        self.options = options
        self.stopTokens = options.stopTokens ?? model.configuration.stopTokenIDs
        self.cache = model.makeCache(contextWindow: contextWindow)
        self.product = MatrixProduct(precision: model.precision, pool: model.pool)
    }

    var layerCount: Int { model.configuration.layerCount }

    /// Runs the prompt in one batched pass and returns the last position's logits.
    mutating func prompt(_ prompt: [Int]) throws(LlamaError) -> [Float] {
        let start = ContinuousClock.now
        let logits = try model.forward(prompt, cache: &cache, logits: .last)[0]
        usedLayers.insert(integersIn: 0..<layerCount)
        promptTokens = prompt.count
        promptSeconds = Self.seconds(since: start)
        generationStart = ContinuousClock.now
        return logits
    }

    /// Runs one token through the whole model and returns its logits.
    mutating func step(_ token: Int) throws(LlamaError) -> [Float] {
        try model.forward([token], cache: &cache, logits: .last)[0]
    }

    /// Records a decided token. Returns whether it is to be emitted (false for a stop token); sets the
    /// stop reason when the run is over.
    mutating func accept(_ token: Int, layers: Int) -> Bool {
        guard stopReason == nil else { return false }
        layersPerToken.append(layers)
        if stopTokens.contains(token) {
            stopReason = .stopToken(token)
            return false
        }
        tokens.append(token)
        if tokens.count >= options.maxTokens { stopReason = .maxTokens }
        return true
    }

    /// Whether another token may be decided: not stopped, and room in the cache for the last one.
    mutating func canContinue() -> Bool {
        guard stopReason == nil else { return false }
        if cache.count >= cache.capacity {
            stopReason = .contextFull
            return false
        }
        return true
    }

    /// The result with its provenance.
    func result() -> GenerationResult {
        var blocks: [BlockRole] = [.embedding]
        blocks += usedLayers.map { BlockRole.layer($0) }
        blocks.append(.head)
        let provenance = GenerationProvenance(
            blocks: blocks, layersPerToken: layersPerToken, layerCount: layerCount,
            precision: model.precision, kernels: String(cString: vk_kernels_name()), strategy: strategy,
            promptTokens: promptTokens, promptSeconds: promptSeconds,
            generatedTokens: layersPerToken.count, generationSeconds: Self.seconds(since: generationStart),
            draftedTokens: drafted, acceptedTokens: accepted)
        var result = GenerationResult(tokens: tokens, stopReason: stopReason ?? .maxTokens, provenance: provenance)
        result.beamLogProbability = beamLogProbability
        result.beamScore = beamScore
        return result
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
