import Foundation
import Logging
import NIOConcurrencyHelpers
import VeectorDB
import VeectorGossip
import VeectorNet

/// The running node's side of sharing over the network: follows the inbox topics of its users, keeps
/// what arrives pending until the user unlocks, and carries out the sharing commands the command line
/// hands it over the control socket while the node holds the home (`share.key`, `share.doc`,
/// `share.list`, `docs.inbox`, `docs.get`). The user's passphrase comes with each such request (over the
/// control socket, a Unix socket only the node's owner can open); nothing unlocked is kept after it.
public final class ShareNetwork: Sendable {
    let home: NodeHome
    let gossip: any NodeGossip
    let logger: Logger

    /// Sharing for `home`'s users through `gossip`.
    public init(home: NodeHome, gossip: any NodeGossip, logger: Logger) {
        self.home = home
        self.gossip = gossip
        self.logger = logger
    }

    /// Follows the inbox topic: what arrives for a user of this node is stored pending, the rest relayed.
    public func start() async {
        let database = home.database, logger = self.logger
        do {
            try await gossip.follow(ShareDelivery.topic) { envelope in
                guard let bytes = envelope.inlinePayload,
                      case let .success(recipient) = ShareDelivery.recipient(of: bytes, message: "\(envelope.id)"),
                      ShareDelivery.listenKeys(in: database).contains(recipient) else { return }
                do {
                    try ShareDelivery.storePending(bytes, for: recipient, in: database)
                    logger.info("a share arrived for a user of this node", metadata: ["message": "\(envelope.id)"])
                } catch {
                    logger.error("could not keep an arriving share: \(error)")
                }
            }
        } catch {
            logger.error("could not follow the inbox topic: \(error)")
        }
    }

    /// Unlocks `user` for one request and remembers their key as one of this node's recipients.
    func unlock(_ p: [String: String]) async throws(ControlFailure) -> SharingSession {
        guard let hex = p["passphrase"], let passphrase = [UInt8](hex: hex) else {
            throw .badParam("passphrase", "missing (hex of the user's passphrase)")
        }
        let session: SharingSession
        do { session = try home.sharing(user: p["user"], passphrase: passphrase) } catch {
            throw ControlFailure(code: "failed", message: error.description)
        }
        do { try ShareDelivery.listen(user: session.documents.user.name, key: session.publicKey, in: home.database) } catch {
            throw ControlFailure(code: "failed", message: "\(error)")
        }
        return session
    }

    /// Publishes `file` on `recipient`'s inbox topic.
    func send(_ file: ShareFile, to recipient: [UInt8]) async throws(ControlFailure) -> GossipEnvelope {
        do {
            return try await gossip.publish(ShareDelivery.topic, try ShareDelivery.payload(file))
        } catch let e as ShareError {
            throw ControlFailure(code: "failed", message: e.description)
        } catch {
            throw ControlFailure(code: "failed", message: "could not publish the share: \(error)")
        }
    }
}
