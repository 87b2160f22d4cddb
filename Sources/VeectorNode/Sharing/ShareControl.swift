import Foundation
import NIOCore
import VeectorDB
import VeectorNet

/// Answers the sharing methods of the control socket for a running node (see `ShareNetwork`):
/// `share.key`, `share.doc` (document, to, version?, expiresIn?, revoke?), `share.list`,
/// `docs.inbox`, `docs.get` (id, output?). Each takes `passphrase` (hex) and optionally `user`.
struct ShareControl: ControlHandler {
    let network: ShareNetwork
    /// Where other `share.*` methods go (content sharing: `share.block`, `share.model`), if anywhere.
    var next: (any ControlHandler)?

    /// What `share.doc` answers.
    struct Shared: Codable, Sendable {
        var id: String, document: String, title: String, version: UInt64, to: String, package: String, packageBytes: UInt64
        /// The gossip message that carries it.
        var message: String
    }

    /// What `share.doc` with `revoke` answers.
    struct Revoked: Codable, Sendable {
        var document: String, to: String, revokedAt: Int64, message: String
    }

    /// What `docs.inbox` answers.
    struct Inbox: Codable, Sendable {
        var items: [ReceivedShare]
        var pending: SharingSession.PendingImport
        /// Shares sent by reference whose package is still being fetched: why, one line each.
        var fetching: [String]
    }

    /// What `docs.get` answers: the plaintext (base64) unless it went to `output`.
    struct Document: Codable, Sendable {
        var id: String, title: String, size: UInt64, contentID: String
        var base64: String?
        var output: String?
    }

    /// How long `docs.inbox` and `docs.get` wait for the packages of shares sent by reference.
    static let referenceWait = TimeAmount.seconds(20)

    func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        let p = request.params
        let now = Int64(Date().timeIntervalSince1970)
        switch request.method {
        case "share.key":
            let s = try await network.unlock(p)
            return ["user": s.documents.user.name, "key": s.publicKey.hexString]
        case "share.doc":
            let s = try await network.unlock(p)
            guard let to = p["to"], let recipient = [UInt8](hex: to), recipient.count == 32 else {
                throw .badParam("to", "the recipient's user key: 64 hex characters")
            }
            guard let query = p["document"] else { throw .badParam("document", "missing") }
            return try await call { () async throws -> any Encodable & Sendable in
                let id = try s.documents.resolve(query)
                if p["revoke"] == "1" {
                    let r = try s.revoke(id, recipient: recipient, revokedAt: now)
                    let e = try await network.send(.revocation(r.encoded()), to: recipient)
                    return Revoked(document: id.description, to: to.lowercased(), revokedAt: r.body.revokedAt, message: e.id.description)
                }
                let expires = p["expiresIn"].flatMap(Int64.init).map { now + $0 }
                let sent = try s.share(id, to: recipient, version: p["version"].flatMap(UInt64.init), createdAt: now, expiresAt: expires)
                let e = try await network.send(.share(record: sent.record.encoded(), package: sent.package), to: recipient)
                return Shared(id: sent.record.id.description, document: id.description, title: sent.document.title,
                              version: sent.record.body.version, to: to.lowercased(), package: sent.record.body.packages[0].description,
                              packageBytes: sent.record.body.packageBytes, message: e.id.description)
            }
        case "share.list":
            let s = try await network.unlock(p)
            return try await call { () async throws -> any Encodable & Sendable in try s.outbox() }
        case "docs.inbox":
            let s = try await network.unlock(p)
            let fetching = await network.completeReferences(for: s.publicKey, until: .now() + Self.referenceWait)
            return try await call { () async throws -> any Encodable & Sendable in
                let pending = try s.importPending(now: now, received: Date())
                return Inbox(items: try s.received(), pending: pending, fetching: fetching)
            }
        case "docs.get":
            let s = try await network.unlock(p)
            guard let query = p["id"] else { throw .badParam("id", "missing") }
            _ = await network.completeReferences(for: s.publicKey, until: .now() + Self.referenceWait)
            return try await call { () async throws -> any Encodable & Sendable in
                _ = try s.importPending(now: now, received: Date())
                let id = try s.inbox.resolve(query)
                if let output = p["output"] {
                    let item = try s.inbox.read(id, to: output)
                    return Document(id: item.id.description, title: item.title, size: item.size, contentID: item.contentID, output: output)
                }
                let (item, bytes) = try s.inbox.read(id)
                return Document(id: item.id.description, title: item.title, size: item.size, contentID: item.contentID,
                                base64: Data(bytes).base64EncodedString())
            }
        default:
            if let next { return try await next.respond(to: request) }
            throw .unknownMethod(request.method)
        }
    }

    private func call(_ body: () async throws -> any Encodable & Sendable) async throws(ControlFailure) -> any Encodable & Sendable {
        do { return try await body() } catch let e as ControlFailure { throw e } catch {
            throw ControlFailure(code: "failed", message: "\(error)")
        }
    }
}
