import ArgumentParser
import Foundation
import VeectorDB
import VeectorNode

/// `veenode docs …`: the user's encrypted documents.
struct Docs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store, list and read your encrypted documents.",
        subcommands: [Add.self, Update.self, Get.self, List.self, History.self, Restore.self, Remove.self, Inbox.self, Receive.self])

    /// Opens the home and unlocks the user.
    static func open(_ global: GlobalOptions) throws -> (NodeHome, DocumentStore) {
        let log = global.bootstrapLogging()
        let home = try global.openHome(log)
        do {
            return (home, try home.documents(user: global.user, passphrase: try global.passphrase()))
        } catch {
            try? home.close()
            throw error
        }
    }

    static func row(_ d: DocumentInfo) -> [String] {
        [String(d.id.prefix(10)), d.damage != nil ? "(damaged: run `veenode db check`)" : d.deleted ? "(deleted)" : d.title,
         d.deleted || d.damage != nil ? "-" : Output.bytes(d.size),
         "\(d.version)", Output.date(d.modified)]
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a file as a new encrypted document.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The file to add.") var file: String
        @Option(help: "The document's title (default: the file's name).") var title: String?

        func run() async throws {
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let progress = ProgressReporter("adding")
            let info = try docs.add(contentsOf: global.absolute(file), title: title, progress: progress.update)
            if global.json { Output.json(info) } else { print("added \(info.id.prefix(10))  \(info.title)  \(Output.bytes(info.size))") }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a file as the next version of a document.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's ID (or a unique prefix) or title.") var document: String
        @Argument(help: "The file holding the new content.") var file: String
        @Option(help: "A new title.") var title: String?

        func run() async throws {
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let progress = ProgressReporter("updating")
            let info = try docs.update(try docs.resolve(document), contentsOf: global.absolute(file), title: title, progress: progress.update)
            if global.json { Output.json(info) } else { print("\(info.id.prefix(10))  \(info.title)  version \(info.version)  \(Output.bytes(info.size))") }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decrypt a document to a file or to standard output.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's ID (or a unique prefix) or title.") var document: String
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
        @Option(help: "Read this version instead of the newest.") var version: UInt64?
        @Flag(help: "Read a document shared with you (`docs inbox`); also tried when none of your own documents matches.") var inbox = false

        func run() async throws {
            if inbox, global.nodeIsRunning {
                guard version == nil else { throw ValidationError("--version does not apply to --inbox: a shared item is one version") }
                var params = ["id": document]
                if let output { params["output"] = global.absolute(output) }
                let r = try global.runningNodeSharing("docs.get", params, as: NetworkDocument.self)
                if let b = r.base64, let data = Data(base64Encoded: b) { FileHandle.standardOutput.write(data) }
                else if global.json { Output.json(r) }
                else { FileHandle.standardError.write(Data("wrote \(Output.bytes(r.size)) to \(output ?? "")\n".utf8)) }
                return
            }
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let shared = SharedInbox(database: docs.database, user: docs.user)
            if inbox {
                guard version == nil else { throw ValidationError("--version does not apply to --inbox: a shared item is one version") }
                return try Docs.getFromInbox(shared, query: document, output: output, global: global)
            }
            let id: DocumentID
            do { id = try docs.resolve(document) } catch {
                guard case .notFound = error, version == nil, (try? shared.resolve(document)) != nil else { throw error }
                return try Docs.getFromInbox(shared, query: document, output: output, global: global)
            }
            if let output {
                let progress = ProgressReporter("reading")
                let info = try docs.read(id, version: version, to: global.absolute(output), progress: progress.update)
                if global.json { Output.json(info) } else { FileHandle.standardError.write(Data("wrote \(Output.bytes(info.size)) to \(output)\n".utf8)) }
            } else {
                _ = try docs.read(id, version: version, progress: nil) { piece in FileHandle.standardOutput.write(Data(piece)) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your documents.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include deleted documents.") var all = false

        func run() async throws {
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let list = try docs.list(includeDeleted: all)
            if global.json { Output.json(list); return }
            if list.isEmpty { print("no documents yet: add one with `veenode docs add FILE`"); return }
            Output.table(["ID", "TITLE", "SIZE", "VERSION", "MODIFIED"], list.map(Docs.row))
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every version of a document.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's ID (or a unique prefix) or title.") var document: String

        func run() async throws {
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let versions = try docs.history(try docs.resolve(document))
            if global.json { Output.json(versions); return }
            Output.table(["VERSION", "TITLE", "SIZE", "MODIFIED", "NOTE"], versions.map { v in
                ["\(v.version)", v.deleted ? "(deleted)" : v.title, v.deleted ? "-" : Output.bytes(v.size), Output.date(v.modified),
                 v.restoredFrom.map { "restored from version \($0)" } ?? ""]
            })
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an earlier version the newest again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's ID (or a unique prefix) or title.") var document: String
        @Option(help: "The version to restore.") var version: UInt64

        func run() async throws {
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let info = try docs.restore(try docs.resolve(document), version: version)
            if global.json { Output.json(info) } else { print("\(info.id.prefix(10))  \(info.title)  is now version \(info.version) (restored from \(version))") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Delete a document (restorable from its history unless --purge).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's ID (or a unique prefix) or title.") var document: String
        @Flag(help: "Destroy its key and all versions; space is reclaimed by `veenode db compact`. Cannot be undone.") var purge = false

        func run() async throws {
            let (home, docs) = try Docs.open(global)
            defer { try? home.close() }
            let id = try docs.resolve(document)
            try docs.remove(id, purge: purge)
            if global.json { Output.json(RemovalResult(id: id.description, purged: purge)) }
            else { print(purge ? "purged \(id.short): unreadable now; run `veenode db compact` to reclaim its space" : "deleted \(id.short) (`veenode docs history \(id.short)` to restore)") }
        }
    }
}

/// What `docs rm --json` prints.
struct RemovalResult: Encodable {
    var id: String
    var purged: Bool
}
