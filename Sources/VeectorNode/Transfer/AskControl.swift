import Dispatch
import Foundation
import VeectorBlocks
import VeectorEngine
import VeectorNet

/// Answers `ask` on the control socket of a running node (which holds the database, so `veenode ask`
/// delegates here): resolves the model — fetching its manifest and the blocks the profile needs from
/// peers when this node lacks them (`ModelSharing.resolve`) — then generates. Parameters mirror
/// `veenode ask`: model, prompt, system, raw, maxTokens, temperature, topK, topP, repeatPenalty, seed,
/// profile, memoryBudget, threads, fast.
public struct AskControl: ControlHandler {
    let sharing: ModelSharing

    /// What `ask` answers.
    public struct Reply: Codable, Sendable {
        /// The local model name used, and its manifest CID.
        public var model: String, modelCID: String
        /// Blobs fetched from peers before running (0 when everything was held).
        public var fetchedBlobs: Int
        /// Token IDs of the prompt and of the answer.
        public var promptTokenIDs: [Int], generatedTokenIDs: [Int]
        /// The answer.
        public var text: String
        /// Why generation stopped.
        public var stopReason: String
        /// Generation speed.
        public var generationTokensPerSecond: Double
    }

    /// A handler resolving models through `sharing`.
    public init(sharing: ModelSharing) { self.sharing = sharing }

    /// One method → one answer.
    public func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        guard request.method == "ask" else { throw .unknownMethod(request.method) }
        let p = request.params
        guard let prompt = p["prompt"] else { throw .badParam("prompt", "missing: the question") }
        let profile = try parse(p, "profile", Profile.auto) { Profile(rawValue: $0) }
        let budget: Int? = try p["memoryBudget"].map { (s: String) throws(ControlFailure) -> Int in
            guard let v = Int(s), v > 0 else { throw .badParam("memoryBudget", "expected a positive byte count") }
            return v
        }
        let threads = try parse(p, "threads", ProcessInfo.processInfo.activeProcessorCount) { Int($0).flatMap { (1...256).contains($0) ? $0 : nil } }
        let maxTokens = try parse(p, "maxTokens", 128) { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
        let temperature = try parse(p, "temperature", Float(0)) { Float($0) }
        let topK = try parse(p, "topK", 40) { Int($0) }
        let topP = try parse(p, "topP", 0.95) { Double($0) }
        let repeatPenalty = try parse(p, "repeatPenalty", Float(1)) { Float($0) }
        let seed = try parse(p, "seed", UInt64(0)) { UInt64($0) }
        let raw = p["raw"] == "1", fast = p["fast"] == "1"
        let resolved: (name: String, fetched: Int)
        do { resolved = try await sharing.resolve(p["model"] ?? "smollm2", profile: profile, memoryBudget: budget) } catch {
            throw ControlFailure(code: "failed", message: error.description)
        }
        let store = ModelStore(database: sharing.database)
        let system = p["system"]
        return try await withCheckedContinuation { (c: CheckedContinuation<Result<Reply, ControlFailure>, Never>) in
            // Generation is long CPU work: off the cooperative pool.
            DispatchQueue.global().async {
                do {
                    let installed = try InstalledLanguageModel(store: store, name: resolved.name,
                                                               settings: RunSettings(profile: profile, memoryBudget: budget, threads: threads),
                                                               precision: fast ? .fast : .exact)
                    var conversation: [ChatMessage] = []
                    if let system { conversation.append(ChatMessage(role: "system", content: system)) }
                    conversation.append(ChatMessage(role: "user", content: prompt))
                    let text = raw ? prompt : installed.template.render(conversation)
                    let ids = installed.tokenizer.encode(text, parseSpecialTokens: !raw)
                    var options = GenerationOptions(maxTokens: maxTokens)
                    options.sampling = temperature == 0 && repeatPenalty == 1 ? .greedy
                        : SamplingParameters(temperature: temperature, topK: topK, topP: topP, repetitionPenalty: repeatPenalty, seed: seed)
                    let result = try installed.generator.generate(prompt: ids, options: options) { _ in }
                    c.resume(returning: .success(Reply(
                        model: resolved.name, modelCID: installed.modelCID, fetchedBlobs: resolved.fetched, promptTokenIDs: ids,
                        generatedTokenIDs: result.tokens, text: installed.tokenizer.decode(result.tokens),
                        stopReason: "\(result.stopReason)", generationTokensPerSecond: result.provenance.generationTokensPerSecond)))
                } catch {
                    c.resume(returning: .failure(ControlFailure(code: "failed", message: "\(error)")))
                }
            }
        }.get()
    }

    private func parse<T>(_ p: [String: String], _ name: String, _ fallback: T, _ read: (String) -> T?) throws(ControlFailure) -> T {
        guard let text = p[name] else { return fallback }
        guard let v = read(text) else { throw .badParam(name, "'\(text)' is not a valid value") }
        return v
    }
}
