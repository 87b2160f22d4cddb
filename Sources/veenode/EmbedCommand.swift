import ArgumentParser
import Foundation
import VeectorBlocks
import VeectorEngine
import VeectorNode

/// `veenode embed`: sentence embeddings (MiniLM from its blocks).
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed sentences with the embedding model (MiniLM from its blocks): 384 numbers per text, unit length.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var run: RunOptions
    @Argument(help: "The texts to embed (one vector each).") var texts: [String] = []
    @Option(help: "The installed model to use.") var model = "minilm"
    @Flag(name: .customLong("stdin"), help: "Read texts from standard input, one per line (bytes are checked to be UTF-8).") var fromStandardInput = false

    func validate() throws {
        if texts.isEmpty && !fromStandardInput { throw ValidationError("give at least one TEXT, or --stdin") }
    }

    /// What `embed --json` prints.
    struct Report: Encodable {
        var model: String
        var modelCID: String
        var node: String
        var dimension: Int
        var vectors: [[Float]]
        var tokenCounts: [Int]
        var truncated: [Bool]
        var profile: String
        var blocks: [BlockProvenance]
        var tensorTypes: [String: Int]
        var forwardSeconds: Double
    }

    func run() async throws {
        var inputs: [[UInt8]] = texts.map { Array($0.utf8) }
        if fromStandardInput {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            inputs += data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map { Array($0) }
        }
        let home = try global.openHome(global.bootstrapLogging())
        defer { try? home.close() }
        let installed: InstalledEmbeddingModel
        do {
            installed = try InstalledEmbeddingModel(store: ModelStore(database: home.database), name: model, settings: run.settings)
        } catch let error as ModelStoreError {
            throw ValidationError("\(error)")
        }
        let result = try installed.embedder.embed(utf8: inputs)
        if global.json {
            let node = (try? home.deviceIdentity().nodeID().description) ?? "unknown"
            Output.json(Report(model: model, modelCID: installed.modelCID, node: node, dimension: result.dimension,
                               vectors: result.vectors, tokenCounts: result.provenance.tokenCounts,
                               truncated: result.provenance.truncated, profile: run.profile.rawValue,
                               blocks: installed.cache.provenance, tensorTypes: result.provenance.tensorTypes,
                               forwardSeconds: result.provenance.forwardSeconds))
            return
        }
        for (i, vector) in result.vectors.enumerated() {
            let head = vector.prefix(6).map { String(format: "%+.4f", $0) }.joined(separator: " ")
            let label = i < texts.count ? texts[i] : String(decoding: inputs[i], as: UTF8.self)
            print("\(label.prefix(40).padding(toLength: min(40, max(label.count, 1)), withPad: " ", startingAt: 0))  [\(head) …] (\(vector.count))")
        }
    }
}
