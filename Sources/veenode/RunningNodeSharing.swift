import ArgumentParser
import Foundation
import VeectorNet
import VeectorNode

/// Sharing commands while a node runs: the node holds the home, so they go to it over the control
/// socket (with the user's passphrase) and it shares over the network (`ShareNetwork`).
extension GlobalOptions {
    /// True when a node runs on this home (its control socket answers).
    var nodeIsRunning: Bool { ControlClient.isRunning(socket: controlSocketPath) }

    /// Calls a sharing method of the running node, unlocking the user with their passphrase.
    func runningNodeSharing<R: Decodable>(_ method: String, _ params: [String: String] = [:], as: R.Type) throws -> R {
        var p = params
        p["passphrase"] = try passphrase().hexString
        if let user { p["user"] = user }
        return try ControlClient.call(ControlRequest(method: method, params: p), socket: controlSocketPath, as: R.self, timeout: 120)
    }
}

/// `share.doc`'s answer.
struct NetworkShareResult: Codable {
    var id: String, document: String, title: String, version: UInt64, to: String, package: String, packageBytes: UInt64, message: String
}

/// `share.doc --revoke`'s answer.
struct NetworkRevocationResult: Codable {
    var document: String, to: String, revokedAt: Int64, message: String
}

/// `docs.inbox`'s answer.
struct NetworkInbox: Codable {
    var items: [ReceivedShare]
    var pending: SharingSession.PendingImport
}

/// `docs.get`'s answer.
struct NetworkDocument: Codable {
    var id: String, title: String, size: UInt64, contentID: String
    var base64: String?
    var output: String?
}
