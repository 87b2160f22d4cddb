import ContentID
import VeectorNet

/// Answers the control socket's transfer methods for a running node: `transfer.fetch` (cid; starts or
/// joins a fetch and answers its status at once), `transfer.status` (cid), `transfer.shareBlock` (cid), `transfer.shareFile` (absolute path; stored as an aligned blob, then shared),
/// `transfer.shareModel` (name) and `transfer.models` (the model announcements heard).
public struct TransferControl: ControlHandler {
    let driver: TransferDriver
    let sharing: ModelSharing

    /// A handler over `driver` and `sharing`.
    public init(driver: TransferDriver, sharing: ModelSharing) {
        self.driver = driver
        self.sharing = sharing
    }

    /// One method → one answer.
    public func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        let p = request.params
        switch request.method {
        case "transfer.fetch":
            let content = try cid(p)
            let future = driver.fetch(content, aligned: p["layout"] != "chunked")
            // Answer at once with the state now (the caller polls `transfer.status`); content already
            // held has no running fetch, so its completed future answers.
            do {
                if let s = try await driver.status(of: content).get() { return s }
                return try await future.get()
            } catch { throw ControlFailure(code: "failed", message: "\(error)") }
        case "transfer.status":
            let content = try cid(p)
            let status: FetchStatus?
            do { status = try await driver.status(of: content).get() } catch { throw ControlFailure(code: "failed", message: "\(error)") }
            guard let status else {
                throw ControlFailure(code: "notFound", message: "no fetch of \(content) is known to this node: start one with `veenode fetch`")
            }
            return status
        case "transfer.shareBlock":
            let content = try cid(p)
            do { return try await sharing.shareBlock(content) } catch { throw ControlFailure(code: "failed", message: error.description) }
        case "transfer.shareFile":
            guard let path = p["path"], path.hasPrefix("/") else { throw .badParam("path", "missing or not absolute: the file to store and share") }
            do { return try await sharing.shareFile(path) } catch { throw ControlFailure(code: "failed", message: error.description) }
        case "transfer.shareModel":
            guard let name = p["name"] else { throw .badParam("name", "missing: the installed model to share") }
            do { return try await sharing.shareModel(name) } catch { throw ControlFailure(code: "failed", message: error.description) }
        case "transfer.models":
            return sharing.announcements
        default:
            throw .unknownMethod(request.method)
        }
    }

    private func cid(_ p: [String: String]) throws(ControlFailure) -> CID {
        guard let text = p["cid"] else { throw .badParam("cid", "missing: the content ID to fetch") }
        guard let c = try? CID(text) else { throw .badParam("cid", "'\(text)' is not a CID (expected a base32 CIDv1 such as bafkrei…)") }
        guard c.sha256Digest != nil else { throw .badParam("cid", "\(text) is not a sha2-256 CID, so it cannot be verified") }
        return c
    }
}
