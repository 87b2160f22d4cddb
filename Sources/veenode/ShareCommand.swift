import ArgumentParser
import Foundation
import VeectorDB
import VeectorNode

/// `veenode share …`: give one encrypted document to another user without exposing its plaintext.
struct Share: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Share an encrypted document with another user, or revoke it; share a block or a model with the network.",
        discussion: """
        The recipient runs `veenode share key` and sends you the key it prints. `share doc DOC --to KEY --out FILE` \
        writes a share file (a signed record and the document's ciphertext: no plaintext, no usable key) that the \
        recipient imports with `veenode docs receive FILE`.
        """,
        subcommands: [Key.self, Doc.self, List.self, Block.self, ModelShare.self])

    /// Opens the home and unlocks the user for sharing.
    static func open(_ global: GlobalOptions) throws -> (NodeHome, SharingSession) {
        let log = global.bootstrapLogging()
        let home = try global.openHome(log)
        do {
            return (home, try home.sharing(user: global.user, passphrase: try global.passphrase()))
        } catch {
            try? home.close()
            throw error
        }
    }

    /// Reads a user key given as 64 hex characters.
    static func userKey(_ text: String) throws -> [UInt8] {
        guard text.count == 64, let key = [UInt8](hex: text) else {
            throw ValidationError("--to must be the recipient's user key: the 64 hex characters `veenode share key` prints on their node")
        }
        return key
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print your user key: what others pass to `share doc --to`.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            if global.nodeIsRunning {
                let r = try global.runningNodeSharing("share.key", as: [String: String].self)
                if global.json { Output.json(r) } else { print(r["key"] ?? "") }
                return
            }
            let (home, session) = try Share.open(global)
            defer { try? home.close() }
            try ShareDelivery.listen(user: session.documents.user.name, key: session.publicKey, in: home.database)
            let key = session.publicKey.hexString
            if global.json { Output.json(["user": session.documents.user.name, "key": key]) } else { print(key) }
        }
    }

    struct Doc: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Share a document with another user (or, with --revoke, stop sharing it with them).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's ID (or a unique prefix) or title.") var document: String
        @Option(help: "The recipient's user key (64 hex characters, from `veenode share key` on their node).") var to: String
        @Option(help: "Write the share (or the revocation) to this file for the recipient's `veenode docs receive`.") var out: String?
        @Option(help: "Share this version instead of the newest.") var version: UInt64?
        @Option(help: "Let the recipient import it only within this many seconds.") var expiresIn: Int64?
        @Flag(help: "Revoke: refuse every future share of this document to this user. Cannot recall what they already fetched.") var revoke = false

        func run() async throws {
            let recipient = try Share.userKey(to)
            if let expiresIn, expiresIn <= 0 { throw ValidationError("--expires-in must be a positive number of seconds") }
            if global.nodeIsRunning { return try runOnNode() }
            let (home, session) = try Share.open(global)
            defer { try? home.close() }
            let id = try session.documents.resolve(document)
            let now = Share.now()
            if revoke {
                let revocation = try session.revoke(id, recipient: recipient, revokedAt: now)
                if let out { try ShareFile.revocation(revocation.encoded()).write(to: global.absolute(out)) }
                if global.json {
                    Output.json(RevocationResult(document: id.description, to: to.lowercased(), revokedAt: revocation.body.revokedAt, file: out))
                } else {
                    print("revoked sharing \(id.short) with \(to.prefix(16))…: it will not be shared with them again.")
                    print("What they already fetched cannot be recalled.\(out.map { " Send them \($0) so their node refuses it too." } ?? "")")
                }
                return
            }
            let sent = try session.share(id, to: recipient, version: version, createdAt: now, expiresAt: expiresIn.map { now + $0 })
            if let out { try ShareFile.share(record: sent.record.encoded(), package: sent.package).write(to: global.absolute(out)) }
            let result = ShareResult(id: sent.record.id.description, document: id.description, title: sent.document.title,
                                     version: sent.record.body.version, to: to.lowercased(), package: sent.record.body.packages[0].description,
                                     packageBytes: sent.record.body.packageBytes, file: out)
            if global.json { Output.json(result); return }
            print("shared \(id.short) \"\(sent.document.title)\" version \(result.version) with \(to.prefix(16))…")
            print("package \(result.package) (\(Output.bytes(result.packageBytes)), ciphertext only)")
            if let out { print("wrote \(out): the recipient imports it with `veenode docs receive \(out)`") }
            print("(start the node — `veenode start` — to share over the network instead of by file)")
        }

        /// The node runs: it shares over the network (the recipient's inbox topic).
        func runOnNode() throws {
            guard out == nil else {
                throw ValidationError("the node is running, so the share goes over the network; --out needs the node stopped")
            }
            var params = ["document": document, "to": to.lowercased()]
            if let version { params["version"] = String(version) }
            if let expiresIn { params["expiresIn"] = String(expiresIn) }
            if revoke {
                params["revoke"] = "1"
                let r = try global.runningNodeSharing("share.doc", params, as: NetworkRevocationResult.self)
                if global.json { Output.json(r); return }
                print("revoked sharing \(r.document.prefix(10)) with \(to.prefix(16))…; the revocation went out as message \(r.message)")
                return
            }
            let r = try global.runningNodeSharing("share.doc", params, as: NetworkShareResult.self)
            if global.json { Output.json(r); return }
            print("shared \(r.document.prefix(10)) \"\(r.title)\" version \(r.version) with \(to.prefix(16))… over the network")
            print("package \(r.package) (\(Output.bytes(r.packageBytes)), ciphertext only), message \(r.message)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shares you sent.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let sent: [OutboxEntry]
            if global.nodeIsRunning {
                sent = try global.runningNodeSharing("share.list", as: [OutboxEntry].self)
            } else {
                let (home, session) = try Share.open(global)
                defer { try? home.close() }
                sent = try session.outbox()
            }
            if global.json { Output.json(sent); return }
            if sent.isEmpty { print("nothing shared yet: `veenode share doc DOC --to KEY --out FILE`"); return }
            Output.table(["ID", "DOCUMENT", "VERSION", "TO", "SIZE", "SHARED", "STATUS"], sent.map { s in
                [String(s.id.prefix(10)), String(s.documentID.prefix(10)), "\(s.version)", String(s.to.prefix(16)) + "…",
                 Output.bytes(s.packageBytes), Output.date(s.shared), s.revoked ? "revoked" : ""]
            })
        }
    }
}

/// What `share doc --json` prints.
struct ShareResult: Encodable {
    var id: String
    var document: String
    var title: String
    var version: UInt64
    var to: String
    var package: String
    var packageBytes: UInt64
    var file: String?
}

/// What `share doc --revoke --json` prints.
struct RevocationResult: Encodable {
    var document: String
    var to: String
    var revokedAt: Int64
    var file: String?
}
