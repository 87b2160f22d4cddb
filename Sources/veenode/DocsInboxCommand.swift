import ArgumentParser
import Foundation
import VeectorDB
import VeectorNode

extension Docs {
    /// `veenode docs inbox`: documents other users shared with you.
    struct Inbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List documents other users shared with you.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let items: [ReceivedShare]
            let pending: SharingSession.PendingImport
            if global.nodeIsRunning {
                let r = try global.runningNodeSharing("docs.inbox", as: NetworkInbox.self)
                (items, pending) = (r.items, r.pending)
            } else {
                let (home, session) = try Share.open(global)
                defer { try? home.close() }
                pending = try session.importPending(now: Share.now(), received: Date())
                items = try session.received()
            }
            for reason in pending.dropped { FileHandle.standardError.write(Data("dropped a share that arrived over the network: \(reason)\n".utf8)) }
            if global.json { Output.json(items); return }
            if items.isEmpty { print("your inbox is empty: shares arrive while the node runs (`veenode start`), or import a share file with `veenode docs receive FILE`"); return }
            Output.table(["ID", "FROM", "TITLE", "SIZE", "SHARED", "NOTE"], items.map { i in
                if let damage = i.damage { return [String(i.id.prefix(10)), "-", "(damaged)", "-", "-", damage] }
                return [String(i.id.prefix(10)), String(i.from.prefix(16)) + "…", i.title, Output.bytes(i.size), Output.date(i.shared),
                        i.revoked ? "sender revoked sharing (your copy stays)" : ""]
            })
        }
    }

    /// `veenode docs receive FILE`: import a share file (or a revocation) addressed to you.
    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a share file someone sent you (`veenode share doc … --out FILE`).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The share file.") var file: String

        func run() async throws {
            let (home, session) = try Share.open(global)
            defer { try? home.close() }
            switch try session.receive(file: global.absolute(file), now: Share.now(), received: Date()) {
            case let .share(item):
                if global.json { Output.json(item); return }
                print("received \(item.id.prefix(10))  \(item.title)  \(Output.bytes(item.size))  from \(item.from.prefix(16))…")
                print("read it with `veenode docs get \(item.id.prefix(10))`")
            case let .revocation(r):
                if global.json {
                    Output.json(RevocationResult(document: r.body.documentID.description, to: r.body.recipientPublicKey.hexString,
                                                 revokedAt: r.body.revokedAt, file: file))
                    return
                }
                print("recorded: \(r.body.senderPublicKey.hexString.prefix(16))… revoked sharing document \(r.body.documentID.short) with you")
            }
        }
    }

    /// Reads an inbox item for `docs get` (by `--inbox`, or when no own document matches).
    static func getFromInbox(_ inbox: SharedInbox, query: String, output: String?, global: GlobalOptions) throws {
        let id = try inbox.resolve(query)
        if let output {
            let item = try inbox.read(id, to: global.absolute(output))
            if global.json { Output.json(ReceivedFile(id: item.id.description, title: item.title, size: item.size, contentID: item.contentID)) }
            else { FileHandle.standardError.write(Data("wrote \(Output.bytes(item.size)) to \(output)\n".utf8)) }
        } else {
            _ = try inbox.read(id) { piece in FileHandle.standardOutput.write(Data(piece)); return true }
        }
    }
}

/// What `docs get --inbox -o FILE --json` prints.
struct ReceivedFile: Encodable {
    var id: String
    var title: String
    var size: UInt64
    var contentID: String
}
