import Foundation
import Testing
import VeectorEngine

/// The heavy release-mode run behind the figures in Spec/engine.md: exact against fast precision,
/// prompt and generation speed, and a grid of self-speculative settings, each checked to give exactly
/// the plain greedy output over longer generations. Runs only with `VEECTOR_LLAMA_BENCH=1` (and the
/// model present):
///
///     VEECTOR_LLAMA_BENCH=1 swift test -c release --scratch-path .build-release \
///         --filter LlamaBenchmarkTests
///
/// `VEECTOR_LLAMA_BENCH_TOKENS` (default 32) sets the tokens generated per prompt.
@Suite(.serialized) struct LlamaBenchmarkTests {
    static var enabled: Bool {
        guard ProcessInfo.processInfo.environment["VEECTOR_LLAMA_BENCH"] == "1" else {
            print("LlamaBenchmarkTests: set VEECTOR_LLAMA_BENCH=1 (release build) to run. Skipping.")
            return false
        }
        return FileManager.default.fileExists(atPath: LlamaRealModelTests.path)
    }
    static var tokens: Int { Int(ProcessInfo.processInfo.environment["VEECTOR_LLAMA_BENCH_TOKENS"] ?? "") ?? 32 }
    static let questions = ["What is the capital of France?", "Name three colours.",
                            "Write a haiku about the sea.", "Explain what a database index is."]

    static func cpu() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return info.split(separator: "\n").first { $0.hasPrefix("model name") }.map(String.init) ?? "unknown CPU"
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    @Test func exactAgainstFast() throws {
        guard Self.enabled, let (exact, tokenizer) = try LlamaRealModelTests.load(),
              let (fast, _) = try LlamaRealModelTests.load(precision: .fast) else { return }
        print("LlamaBenchmarkTests: \(Self.cpu())")
        let paragraph = tokenizer.encode(LlamaRealModelTests.paragraph)
        let pExact = try exact.perplexity(of: paragraph), pFast = try fast.perplexity(of: paragraph)
        var maxDelta: Float = 0
        var sameTokens = 0, total = 0
        for question in Self.questions {
            let prompt = LlamaRealModelTests.chat(question, tokenizer)
            // One token at a time so both precisions really use the kernels (a batch would use sgemm).
            var cacheA = exact.makeCache(), cacheB = fast.makeCache()
            var a: [Float] = [], b: [Float] = []
            for token in prompt {
                a = try exact.forward([token], cache: &cacheA)[0]
                b = try fast.forward([token], cache: &cacheB)[0]
            }
            for (x, y) in zip(a, b) { maxDelta = max(maxDelta, abs(x - y)) }
            let options = GenerationOptions(maxTokens: Self.tokens, speculative: .off)
            let ga = try LlamaGenerator(model: exact).generate(prompt: prompt, options: options)
            let gb = try LlamaGenerator(model: fast).generate(prompt: prompt, options: options)
            sameTokens += zip(ga.tokens, gb.tokens).prefix { $0 == $1 }.count
            total += ga.tokens.count
            print("LlamaBenchmarkTests: exact \(String(format: "%.1f", ga.provenance.generationTokensPerSecond)) tok/s, fast \(String(format: "%.1f", gb.provenance.generationTokensPerSecond)) tok/s, prompt \(prompt.count) tokens at \(String(format: "%.0f", ga.provenance.promptTokensPerSecond)) tok/s; \(tokenizer.decode(ga.tokens).debugDescription)")
        }
        print("LlamaBenchmarkTests: perplexity exact \(pExact), fast \(pFast); max |Δlogit| exact vs fast \(maxDelta); identical greedy prefix \(sameTokens)/\(total) tokens")
        #expect(abs(pExact - pFast) / pExact < 0.05)
    }

    @Test func promptProcessingSpeed() throws {
        guard Self.enabled, let (model, tokenizer) = try LlamaRealModelTests.load() else { return }
        let text = Array(repeating: LlamaRealModelTests.paragraph, count: 3).joined(separator: " ")
        let prompt = Array(tokenizer.encode(text).prefix(128))
        var cache = model.makeCache()
        let t = try Self.seconds { _ = try model.forward(prompt, cache: &cache) }
        print("LlamaBenchmarkTests: pp\(prompt.count) in \(t) s = \(Double(prompt.count) / t) tok/s")
    }

    @Test func speculativeGrid() throws {
        guard Self.enabled, let (model, tokenizer) = try LlamaRealModelTests.load() else { return }
        let generator = LlamaGenerator(model: model)
        let prompts = Self.questions.map { LlamaRealModelTests.chat($0, tokenizer) }
        var plain: [[Int]] = []
        var plainSeconds = 0.0
        for prompt in prompts {
            let r = try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: Self.tokens, speculative: .off))
            plain.append(r.tokens)
            plainSeconds += r.provenance.generationSeconds
        }
        let plainCount = plain.reduce(0) { $0 + $1.count }
        print("LlamaBenchmarkTests: plain greedy \(plainCount) tokens, \(Double(plainCount) / plainSeconds) tok/s")
        let settings = ProcessInfo.processInfo.environment["VEECTOR_LLAMA_BENCH_GRID"].map { grid in
            grid.split(separator: ",").map { pair -> SpeculativeOptions in
                let parts = pair.split(separator: "x").compactMap { Int($0) }
                return SpeculativeOptions(exitLayer: parts[0], draftLength: parts[1])
            }
        } ?? [(12, 2), (18, 2), (18, 4), (22, 2), (22, 4), (26, 2), (26, 4), (28, 4)].map {
            SpeculativeOptions(exitLayer: $0.0, draftLength: $0.1)
        }
        for setting in settings {
            var drafted = 0, accepted = 0, seconds = 0.0
            for (prompt, expected) in zip(prompts, plain) {
                let r = try generator.generate(prompt: prompt, options: GenerationOptions(maxTokens: Self.tokens, speculative: .on(setting)))
                #expect(r.tokens == expected, "exit \(setting.exitLayer), draft \(setting.draftLength)")
                drafted += r.provenance.draftedTokens
                accepted += r.provenance.acceptedTokens
                seconds += r.provenance.generationSeconds
            }
            print("LlamaBenchmarkTests: exit \(setting.exitLayer) draft \(setting.draftLength): accepted \(accepted)/\(drafted) = \(String(format: "%.2f", Double(accepted) / Double(max(1, drafted)))), \(String(format: "%.1f", Double(plainCount) / seconds)) tok/s, speed-up \(String(format: "%.2f", plainSeconds / seconds))×")
        }
    }
}
