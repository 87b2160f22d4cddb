import CVeectorKernels
import Foundation

/// Generates text with a `LlamaModel`: prompt token IDs in, tokens streamed to a callback as they are
/// decided, until a stop token, `maxTokens`, or the end of the context window.
///
/// Greedy runs use self-speculative decoding by default (same output, fewer full passes); sampled runs
/// decode one token per pass with the `Sampler`; beam search and lossy early exit are opt-in. Every
/// result carries its provenance.
public final class LlamaGenerator: Sendable {
    /// The model that runs.
    public let model: LlamaModel
    /// The most tokens (prompt plus generated) one sequence may hold.
    public let contextWindow: Int

    /// A generator over `model` with a context window of `contextWindow` tokens (default: the model's
    /// context length, capped at `LlamaModel.defaultContextWindow`).
    public init(model: LlamaModel, contextWindow: Int? = nil) {
        self.model = model
        self.contextWindow = max(1, contextWindow ?? min(model.configuration.contextLength,
                                                          LlamaModel.defaultContextWindow))
    }

    /// Generates a continuation of `prompt`, calling `onToken` with each generated token (stop tokens
    /// excluded) as soon as it is final. Beam search calls it once per token of the best beam at the end.
    public func generate(prompt: [Int], options: GenerationOptions = GenerationOptions(),
                         onToken: (Int) -> Void = { _ in }) throws(LlamaError) -> GenerationResult {
        let prompt = try preparePrompt(prompt, options: options)
        do { try options.sampling.validate() } catch { throw .sampling(error) }
        var run = DecodingRun(model: model, contextWindow: contextWindow, options: options)
        let greedyExact = options.sampling.temperature == 0 && options.sampling.repetitionPenalty == 1
        if let beams = options.beams {
            run.strategy = .beam(beams)
            try beamSearch(prompt, beams: beams, run: &run, onToken: onToken)
        } else if let exit = options.exitThreshold {
            try validate(exitLayer: exit.exitLayer, name: "exitThreshold.exitLayer")
            guard exit.threshold > 0, exit.threshold <= 1 else {
                throw .invalidOption(name: "exitThreshold.threshold", value: "\(exit.threshold)", expected: "in (0, 1]")
            }
            run.strategy = .earlyExit(exit)
            try earlyExit(prompt, exit, run: &run, onToken: onToken)
        } else if greedyExact, let speculative = speculativeOptions(options.speculative) {
            try validate(exitLayer: speculative.exitLayer, name: "speculative.exitLayer")
            guard (1...16).contains(speculative.draftLength) else {
                throw .invalidOption(name: "speculative.draftLength", value: "\(speculative.draftLength)",
                                     expected: "1…16")
            }
            run.strategy = .speculative(speculative)
            try speculativeDecode(prompt, speculative, run: &run, onToken: onToken)
        } else {
            try plainDecode(prompt, run: &run, onToken: onToken)
        }
        return run.result()
    }

    /// One full forward pass per token, each picked by the sampler.
    func plainDecode(_ prompt: [Int], run: inout DecodingRun, onToken: (Int) -> Void) throws(LlamaError) {
        var sampler: Sampler
        do { sampler = try Sampler(parameters: run.options.sampling) } catch { throw .sampling(error) }
        sampler.record(prompt)
        var logits = try run.prompt(prompt)
        while true {
            let token: Int
            do { token = try sampler.next(logits: logits) } catch { throw .sampling(error) }
            if run.accept(token, layers: model.configuration.layerCount) { onToken(token) }
            guard run.canContinue() else { return }
            logits = try run.step(token)
        }
    }

    private func speculativeOptions(_ mode: SpeculativeMode) -> SpeculativeOptions? {
        switch mode {
        case .automatic: return model.configuration.layerCount > 1 ? .default : nil
        case let .on(options): return options
        case .off: return nil
        }
    }

    private func validate(exitLayer: Int, name: String) throws(LlamaError) {
        let layers = model.configuration.layerCount
        guard exitLayer >= 1, exitLayer < layers else {
            throw .invalidOption(name: name, value: "\(exitLayer)", expected: "1…\(layers - 1) (below the layer count)")
        }
    }

    private func preparePrompt(_ prompt: [Int], options: GenerationOptions) throws(LlamaError) -> [Int] {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        guard options.maxTokens >= 1 else {
            throw .invalidOption(name: "maxTokens", value: "\(options.maxTokens)", expected: "at least 1")
        }
        if let beams = options.beams, beams < 1 {
            throw .invalidOption(name: "beams", value: "\(beams)", expected: "at least 1 (or nil for no beam search)")
        }
        guard options.lengthPenalty.isFinite, options.lengthPenalty >= 0 else {
            throw .invalidOption(name: "lengthPenalty", value: "\(options.lengthPenalty)", expected: "a finite number ≥ 0")
        }
        let vocabulary = model.configuration.vocabularySize
        if let bad = prompt.first(where: { $0 < 0 || $0 >= vocabulary }) {
            throw .tokenOutOfRange(token: bad, vocabularySize: vocabulary)
        }
        guard prompt.count > contextWindow else { return prompt }
        guard options.truncatePrompt else { throw .promptTooLong(tokens: prompt.count, contextWindow: contextWindow) }
        return Array(prompt.suffix(max(1, contextWindow - options.maxTokens)))
    }
}
