import ArgumentParser
import Foundation
import VeectorBlocks
import VeectorEngine
import VeectorNet
import VeectorNode

/// Options shared by the commands that run a model from its blocks.
struct RunOptions: ParsableArguments {
    @Option(help: "Which variants run: lite, pro, ultimate or auto (the best that fit the memory budget).")
    var profile: Profile = .auto
    @Option(name: .customLong("memory-budget"), help: "Most bytes of model blocks held in memory (e.g. 32000000, 32M, 1G); default: the whole model.")
    var memoryBudget: String?
    @Option(help: "Compute threads (default: the processor count).")
    var threads: Int?

    func validate() throws {
        if let memoryBudget, Self.parseBytes(memoryBudget) == nil {
            throw ValidationError("--memory-budget '\(memoryBudget)' is not a size such as 32000000, 48M or 1G")
        }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256") }
    }

    var settings: RunSettings {
        RunSettings(profile: profile, memoryBudget: memoryBudget.flatMap(Self.parseBytes),
                    threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    static func parseBytes(_ text: String) -> Int? {
        let units: [(String, Int)] = [("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("k", 1 << 10)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Int(text.dropLast()).flatMap { $0 > 0 ? $0 * factor : nil }
        }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }
}

extension Profile: ExpressibleByArgument {}

/// `veenode ask`: SmolLM2 answers from its blocks, streamed to the terminal.
struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the language model (SmolLM2 from its blocks); the answer streams as it is generated.",
        discussion: "By default the prompt is wrapped in the model's chat template (with its default system prompt). "
            + "--speculative turns on self-speculative decoding, which gives exactly the full model's output.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var run: RunOptions
    @Argument(help: "The question or text.") var prompt: String?
    @Option(help: "The installed model to use.") var model = "smollm2"
    @Option(help: "A system message (instead of the model's default one).") var system: String?
    @Option(help: "A JSON file holding a conversation: [{\"role\": \"user\", \"content\": \"…\"}, …].") var messages: String?
    @Flag(help: "Plain completion of PROMPT, without the chat template.") var raw = false
    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.") var maxTokens = 128
    @Option(help: "Sampling temperature (0 = greedy).") var temperature: Float = 0
    @Option(name: .customLong("top-k"), help: "Sample among the k most likely tokens (0 = all).") var topK = 40
    @Option(name: .customLong("top-p"), help: "Nucleus sampling threshold.") var topP = 0.95
    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty (1 = none).") var repeatPenalty: Float = 1
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 0
    @Option(help: "Beam search with N beams.") var beam: Int?
    @Option(name: .customLong("exit-threshold"), help: "Lossy early exit: stop at a shallow layer when its top token is this probable (opt-in).")
    var exitThreshold: Double?
    @Flag(help: "Greedy self-speculative decoding: shallow layers draft, the full model verifies (same output; measured slower than plain greedy on SmolLM2 today, see Spec/engine.md).")
    var speculative = false
    @Flag(help: "Cut a prompt longer than the context window instead of refusing it.") var truncate = false
    @Flag(help: "Compute with 8-bit quantised activations (faster, not bit-exact).") var fast = false

    func validate() throws {
        guard (prompt == nil) != (messages == nil) else { throw ValidationError("give either a PROMPT or --messages FILE") }
        if raw && (system != nil || messages != nil) { throw ValidationError("--raw takes a plain PROMPT, without --system or --messages") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let beam, beam < 1 || beam > 16 { throw ValidationError("--beam must be between 1 and 16") }
        if let exitThreshold, !(exitThreshold > 0 && exitThreshold <= 1) { throw ValidationError("--exit-threshold must be in (0, 1]") }
    }

    /// What `ask --json` prints.
    struct Report: Encodable {
        var model: String
        var modelCID: String
        var node: String
        var promptTokenIDs: [Int]
        var generatedTokenIDs: [Int]
        var text: String
        var stopReason: String
        var strategy: String
        var precision: String
        var kernels: String
        var profile: String
        var blocks: [BlockProvenance]
        var layerCount: Int
        var layersPerToken: [Int]
        var draftedTokens: Int
        var acceptedTokens: Int
        var promptSeconds: Double
        var generationSeconds: Double
        var promptTokensPerSecond: Double
        var generationTokensPerSecond: Double
        var cache: CacheReport
    }

    struct CacheReport: Encodable {
        var memoryBudget: Int
        var loads: Int
        var hits: Int
        var evictions: Int
        var peakBytesResident: Int
    }

    func run() async throws {
        if ControlClient.isRunning(socket: global.controlSocketPath) {
            try askRunningNode()
            return
        }
        let home = try global.openHome(global.bootstrapLogging())
        defer { try? home.close() }
        let store = ModelStore(database: home.database)
        let installed: InstalledLanguageModel
        do {
            installed = try InstalledLanguageModel(store: store, name: model, settings: run.settings,
                                                   precision: fast ? .fast : .exact)
        } catch let error as ModelStoreError {
            throw ValidationError("\(error)")
        }
        let text: String
        if raw {
            text = prompt!
        } else {
            var conversation: [ChatMessage] = []
            if let messages {
                conversation = try Self.readConversation(global.absolute(messages))
            } else {
                if let system { conversation.append(ChatMessage(role: "system", content: system)) }
                conversation.append(ChatMessage(role: "user", content: prompt!))
            }
            text = installed.template.render(conversation)
        }
        let promptIDs = installed.tokenizer.encode(text, parseSpecialTokens: !raw)
        var options = GenerationOptions(maxTokens: maxTokens)
        options.sampling = temperature == 0 && repeatPenalty == 1 ? .greedy
            : SamplingParameters(temperature: temperature, topK: topK, topP: topP, repetitionPenalty: repeatPenalty, seed: seed)
        options.truncatePrompt = truncate
        options.beams = beam
        options.speculative = speculative ? .automatic : .off
        if let exitThreshold {
            options.exitThreshold = EarlyExitOptions(threshold: exitThreshold, exitLayer: installed.generator.model.configuration.layerCount * 2 / 3)
        }
        let stream = !global.json
        let tokenizer = installed.tokenizer
        let result = try installed.generator.generate(prompt: promptIDs, options: options) { token in
            guard stream else { return }
            let bytes = tokenizer.decodeBytes([token])
            FileHandle.standardOutput.write(Data(bytes))
        }
        let answer = tokenizer.decode(result.tokens)
        let p = result.provenance
        if global.json {
            let stats = installed.cache.statistics
            let node = (try? home.deviceIdentity().nodeID().description) ?? "unknown"
            Output.json(Report(
                model: model, modelCID: installed.modelCID, node: node, promptTokenIDs: promptIDs, generatedTokenIDs: result.tokens,
                text: answer, stopReason: "\(result.stopReason)", strategy: "\(p.strategy)", precision: p.precision.rawValue,
                kernels: p.kernels, profile: run.profile.rawValue, blocks: installed.cache.provenance, layerCount: p.layerCount,
                layersPerToken: p.layersPerToken, draftedTokens: p.draftedTokens, acceptedTokens: p.acceptedTokens,
                promptSeconds: p.promptSeconds, generationSeconds: p.generationSeconds,
                promptTokensPerSecond: p.promptTokensPerSecond, generationTokensPerSecond: p.generationTokensPerSecond,
                cache: CacheReport(memoryBudget: installed.cache.memoryBudget, loads: stats.loads, hits: stats.hits,
                                   evictions: stats.evictions, peakBytesResident: stats.peakBytesResident)))
        } else {
            print("")
            let speed = String(format: "%.1f", p.generationTokensPerSecond)
            FileHandle.standardError.write(Data("[\(result.tokens.count) tokens, \(speed) tok/s, \(p.strategy), \(installed.cache.provenance.count) blocks]\n".utf8))
        }
    }

    /// Reads a conversation file: a JSON list of {"role", "content"} objects.
    static func readConversation(_ path: String) throws -> [ChatMessage] {
        struct Message: Decodable { var role: String; var content: String }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read --messages file \(path)") }
        do {
            let list = try JSONDecoder().decode([Message].self, from: data)
            guard !list.isEmpty else { throw ValidationError("--messages file \(path) holds no messages") }
            for m in list where !["system", "user", "assistant"].contains(m.role) {
                throw ValidationError("--messages file \(path): unknown role '\(m.role)' (use system, user or assistant)")
            }
            return list.map { ChatMessage(role: $0.role, content: $0.content) }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw ValidationError("--messages file \(path) is not a JSON list of {\"role\", \"content\"} objects: \(error.localizedDescription)")
        }
    }

    /// The running node holds the database: it answers (fetching the model from peers if it lacks it).
    func askRunningNode() throws {
        guard messages == nil, beam == nil, exitThreshold == nil, !speculative, !truncate else {
            throw ValidationError("a node is running on this home: --messages, --beam, --exit-threshold, --speculative and --truncate "
                + "are not available through it; stop it, or ask without them")
        }
        var p: [String: String] = ["model": model, "prompt": prompt!, "maxTokens": "\(maxTokens)", "temperature": "\(temperature)",
                                   "topK": "\(topK)", "topP": "\(topP)", "repeatPenalty": "\(repeatPenalty)", "seed": "\(seed)",
                                   "profile": run.profile.rawValue, "threads": "\(run.settings.threads)"]
        if let system { p["system"] = system }
        if raw { p["raw"] = "1" }
        if fast { p["fast"] = "1" }
        if let budget = run.settings.memoryBudget { p["memoryBudget"] = "\(budget)" }
        let reply = try ControlClient.call(ControlRequest(method: "ask", params: p), socket: global.controlSocketPath,
                                           as: AskControl.Reply.self, timeout: 3600)
        if global.json { Output.json(reply); return }
        print(reply.text)
        let speed = String(format: "%.1f", reply.generationTokensPerSecond)
        FileHandle.standardError.write(Data("[\(reply.generatedTokenIDs.count) tokens, \(speed) tok/s, by the running node\(reply.fetchedBlobs > 0 ? ", \(reply.fetchedBlobs) blobs fetched from peers" : "")]\n".utf8))
    }
}
