import ContentID
import NIOConcurrencyHelpers
import NIOCore
import VeectorDB

/// Shares sent by reference (`ShareReference`): the recipient's node fetches the package by CID through
/// content transfer — which verifies every chunk and the whole against the CID — then keeps record +
/// package pending for the user, exactly as if the share had arrived inline.
extension ShareNetwork {
    /// Fetches the package `bytes` (a reference) names, joining a fetch already running; once it is here
    /// and matches the record, stores the share pending for `recipient` and forgets the reference.
    /// The future completes with nil when the share is pending, or with why the package is still missing;
    /// nil future when there is nothing to fetch (no transfer here, or a reference that is not valid,
    /// which is then forgotten).
    func fetchReferenced(_ bytes: [UInt8], for recipient: [UInt8], hint: PeerKey?) -> EventLoopFuture<String?>? {
        guard let transfer else { return nil }
        let database = home.database, logger = self.logger
        let reference: ShareReference, cid: CID
        do {
            reference = try ShareReference(decoding: bytes, what: "share reference")
            cid = try reference.package().cid
        } catch {
            logger.warning("dropping a share reference that is not valid: \(error)")
            try? ShareDelivery.removeReference(bytes, for: recipient, in: database)
            return nil
        }
        return transfer.fetch(cid, hints: hint.map { [$0] } ?? [], aligned: false).map { status -> String? in
            guard status.state == .done else {
                return "the package \(cid) is not fetched yet: \(status.error ?? "the fetch stopped"); `docs inbox` tries again"
            }
            do {
                let file = try reference.shareFile(package: try BlobStore(database: database).get(cid))
                try ShareDelivery.storePending(file.encoded(), for: recipient, in: database)
                try ShareDelivery.removeReference(bytes, for: recipient, in: database)
                logger.info("fetched the package of a share sent by reference", metadata: ["package": "\(cid)", "bytes": "\(status.totalBytes)"])
                return nil
            } catch {
                return "the package \(cid) was fetched but could not be kept: \(error)"
            }
        }
    }

    /// Fetches the packages of every reference waiting for `recipient`, waiting until `deadline` at
    /// most; returns why each still missing one is missing (empty when all are pending now).
    func completeReferences(for recipient: [UInt8], until deadline: NIODeadline) async -> [String] {
        var missing: [String] = []
        for (_, bytes) in ShareDelivery.references(for: recipient, in: home.database) {
            guard let future = fetchReferenced(bytes, for: recipient, hint: nil) else { continue }
            if let reason = await Self.result(of: future, until: deadline) { missing.append(reason) }
        }
        return missing
    }

    /// `future`'s value, or a "still fetching" reason once `deadline` passes first.
    static func result(of future: EventLoopFuture<String?>, until deadline: NIODeadline) async -> String? {
        await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
            let done = NIOLockedValueBox(false)
            let finish: @Sendable (String?) -> Void = { value in
                if done.withLockedValue({ d in defer { d = true }; return !d }) { c.resume(returning: value) }
            }
            let timer = future.eventLoop.scheduleTask(deadline: deadline) {
                finish("the package is still being fetched; run `docs inbox` again in a while")
            }
            future.whenComplete { result in
                timer.cancel()
                switch result {
                case let .success(value): finish(value)
                case let .failure(error): finish("the fetch of the package failed: \(error)")
                }
            }
        }
    }
}
