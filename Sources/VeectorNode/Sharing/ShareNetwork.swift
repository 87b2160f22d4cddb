import ContentID
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
    /// Fetches the packages of shares sent by reference, and provides ours (nil: inline shares only).
    let transfer: TransferDriver?
    let logger: Logger

    /// Sharing for `home`'s users through `gossip`; packages too large for a gossip message go by
    /// content transfer through `transfer`.
    public init(home: NodeHome, gossip: any NodeGossip, transfer: TransferDriver? = nil, logger: Logger) {
        self.home = home
        self.gossip = gossip
        self.transfer = transfer
        self.logger = logger
    }

    /// Follows the inbox topic: what arrives for a user of this node is stored pending (a reference once
    /// its package is fetched), the rest relayed. References left from before a restart are fetched again.
    public func start() async {
        let database = home.database, logger = self.logger
        for (recipient, bytes) in ShareDelivery.references(for: nil, in: database) {
            _ = fetchReferenced(bytes, for: recipient, hint: nil)
        }
        do {
            try await gossip.follow(ShareDelivery.topic) { [self] envelope in
                guard let bytes = envelope.inlinePayload,
                      case let .success(recipient) = ShareDelivery.recipient(of: bytes, message: "\(envelope.id)"),
                      ShareDelivery.listenKeys(in: database).contains(recipient) else { return }
                if ShareReference.isReference(bytes) {
                    do {
                        try ShareDelivery.storeReference(bytes, for: recipient, in: database)
                        logger.info("a share by reference arrived for a user of this node; fetching its package", metadata: ["message": "\(envelope.id)"])
                    } catch {
                        logger.error("could not keep an arriving share reference: \(error)")
                    }
                    _ = fetchReferenced(bytes, for: recipient, hint: PeerKey(envelope.author.publicKey))
                    return
                }
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

    /// Publishes `file` on the inbox topic: inline when it fits in one gossip message; else the package
    /// (already in the blob store, put there by `SharingSession.share`) is announced as provided and only
    /// a `ShareReference` to it is published.
    func send(_ file: ShareFile, to recipient: [UInt8]) async throws(ControlFailure) -> GossipEnvelope {
        var payload = ShareDelivery.inlinePayload(file)
        if payload == nil {
            guard case let .share(record, package) = file else {
                throw ControlFailure(code: "failed", message: "a revocation of \(file.encoded().count) bytes cannot be sent: it should be small; this is a bug")
            }
            guard let transfer else {
                throw ControlFailure(code: "failed", message: "the share is \(file.encoded().count) bytes, more than a gossip message carries (\(ShareDelivery.maxInlineBytes)), and this node has no content transfer to send it by reference; send a share file instead (veenode share doc … --out FILE)")
            }
            let cid = CID.sha256(of: package)
            guard transfer.source.holds(cid) else {
                throw ControlFailure(code: "failed", message: "the share's package \(cid) is not in this node's blob store; share the document again")
            }
            await transfer.provide(cid)
            payload = .inline(ShareReference(record: record).encoded())
        }
        do {
            return try await gossip.publish(ShareDelivery.topic, payload!)
        } catch {
            throw ControlFailure(code: "failed", message: "could not publish the share: \(error)")
        }
    }
}
