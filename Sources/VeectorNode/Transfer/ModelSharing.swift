import ContentID
import Foundation
import Logging
import NIOConcurrencyHelpers
import VeectorBlocks
import VeectorDB
import VeectorGossip

/// The node's side of "content by ID" above the transfer channel: share a blob or a whole model
/// (DHT provider records, plus one gossip announcement for a model), remember the model announcements
/// heard, and resolve a model this node lacks — by name from those announcements, or by manifest CID —
/// by fetching its manifest and the blocks a run needs, then naming it locally.
public final class ModelSharing: Sendable {
    /// A model announcement heard, with its author's key.
    public struct Heard: Sendable, Equatable, Codable {
        /// The name announced.
        public var name: String
        /// The manifest CID.
        public var manifest: String
        /// The architecture.
        public var arch: String
        /// Total bytes.
        public var bytes: Int
        /// The announcing node's key (hex).
        public var author: String
    }

    /// What sharing did.
    public struct ShareReport: Sendable, Codable, Equatable {
        /// The content (a blob CID, or the model's manifest CID).
        public var content: String
        /// Provider records announced (one per blob).
        public var announced: Int
        /// Bytes shared.
        public var bytes: Int
        /// The gossip announcement's ID (for a model, when gossip runs).
        public var gossipID: String?
        /// How many DHT nodes stored the model's signed head (`ModelHead`); nil when none was published.
        public var headStoredOn: Int?
    }

    let database: Database
    let transfer: TransferDriver
    let gossip: (any NodeGossip)?
    let announce: @Sendable (CID) async -> Void
    /// Publishes a model's signed head in the DHT (`ModelHead`), when the node runs a DHT.
    let publishHead: (@Sendable (ModelHead) async -> Int?)?
    let logger: Logger
    let heard = NIOLockedValueBox([String: (ModelAnnouncement, PeerKey)]())

    /// Sharing over `database` through `transfer`, announcing providers with `announce` (the DHT) and
    /// models on `gossip` when there is one; `publishHead` puts each shared model's signed head into the
    /// DHT and answers how many nodes stored it.
    public init(database: Database, transfer: TransferDriver, gossip: (any NodeGossip)?,
                publishHead: (@Sendable (ModelHead) async -> Int?)? = nil, logger: Logger) {
        self.database = database
        self.publishHead = publishHead
        self.transfer = transfer
        self.gossip = gossip
        announce = transfer.discovery.announce
        self.logger = logger
    }

    /// Follows the models topic (call once when the node starts).
    public func start() async {
        guard let gossip else { return }
        do {
            try await gossip.follow(ModelAnnouncement.topic) { [self] envelope in
                guard let payload = envelope.inlinePayload, let key = PeerKey(envelope.author.publicKey) else { return }
                do {
                    let a = try ModelAnnouncement(decoding: payload)
                    heard.withLockedValue { $0[a.name] = (a, key) }
                } catch {
                    logger.info("transfer: ignoring a malformed model announcement", metadata: ["error": "\(error)"])
                }
            }
        } catch {
            logger.warning("transfer: cannot follow model announcements", metadata: ["error": "\(error)"])
        }
    }

    /// The model announcements heard, by name.
    public var announcements: [Heard] {
        heard.withLockedValue { $0.values.map { a, k in
            Heard(name: a.name, manifest: a.manifest.description, arch: a.arch, bytes: a.bytes, author: k.hex)
        }.sorted { $0.name < $1.name } }
    }

    /// Announces this node as a provider of the blob (or model manifest) `content`.
    public func shareBlock(_ content: CID) async throws(ContentShareError) -> ShareReport {
        guard transfer.source.holds(content), let m = transfer.source.manifest(for: content) else { throw .notHeld(content.description) }
        await announce(content)
        return ShareReport(content: content.description, announced: 1, bytes: Int(m.size))
    }

    /// Stores the file at `path` as one aligned blob (memory-mappable, like a model block) and announces
    /// this node as its provider; the report names the blob's CID.
    public func shareFile(_ path: String) async throws(ContentShareError) -> ShareReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw .storage("cannot read \(path): check the path and permissions") }
        let cid: CID
        do { cid = try BlobStore(database: database).put([UInt8](data), layout: .aligned) } catch { throw .storage(error.description) }
        return try await shareBlock(cid)
    }

    /// Announces the model `name`: provider records for its manifest and every blob it lists that this
    /// node holds, and one announcement on `ModelAnnouncement.topic`.
    public func shareModel(_ name: String) async throws(ContentShareError) -> ShareReport {
        let store = ModelStore(database: database)
        let record: InstalledModel, manifest: ModelManifest
        do {
            record = try store.record(name)
            manifest = try store.manifest(named: name)
        } catch { throw .unknownModel(name) }
        let manifestCID = manifest.cid
        let blobs = BlobStore(database: database)
        let held = [manifestCID] + ModelStore.blobCIDs(of: manifest).filter { blobs.contains($0) }
        let unique = Array(Set(held))
        for c in unique { _ = transfer.source.manifest(for: c) }   // compute manifests before peers ask
        let announce = self.announce
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<min(8, unique.count) {
                let c = unique[next]; next += 1
                group.addTask { await announce(c) }
            }
            for await _ in group where next < unique.count {
                let c = unique[next]; next += 1
                group.addTask { await announce(c) }
            }
        }
        var report = ShareReport(content: manifestCID.description, announced: unique.count, bytes: record.bytes)
        if let publishHead, ModelHead.isPublishable(name) {
            let head = ModelHead(name: name, manifest: manifestCID, arch: manifest.arch, bytes: record.bytes,
                                 publishedAt: Int64(Date().timeIntervalSince1970 * 1000))
            report.headStoredOn = await publishHead(head)
        }
        if let gossip {
            let a = ModelAnnouncement(name: name, manifest: manifestCID, arch: manifest.arch, bytes: record.bytes)
            do { report.gossipID = try await gossip.publish(ModelAnnouncement.topic, .inline(a.encoded())).id.description } catch {
                throw .fetchFailed(content: "model announcement", reason: "gossip refused it: \(error)")
            }
        }
        return report
    }

    /// Makes the model `name` runnable with `profile` under `memoryBudget`: an installed model is used as
    /// is (missing blocks the plan needs are fetched); otherwise `name` is looked up among the
    /// announcements heard (or read as a manifest CID), the manifest fetched and named `name`. Returns the
    /// local name and the number of blobs fetched.
    public func resolve(_ name: String, profile: Profile, memoryBudget: Int?) async throws(ContentShareError) -> (name: String, fetched: Int) {
        let store = ModelStore(database: database)
        var hints: [PeerKey] = []
        var manifest: ModelManifest
        var fetched = 0
        var local = name
        if let m = try? store.manifest(named: name) {
            manifest = m
        } else {
            let manifestCID: CID
            if let h = heard.withLockedValue({ $0[name] }) {
                manifestCID = h.0.manifest
                hints = [h.1]
            } else if let cid = try? CID(name), cid.sha256Digest != nil {
                manifestCID = cid
            } else {
                throw .unknownModel(name)
            }
            var bytes: [UInt8] = []
            for attempt in 1...3 {
                do { bytes = try await fetchBytes(manifestCID, hints: hints); break } catch {
                    if attempt == 3 { throw error }
                }
            }
            fetched += 1
            do { manifest = try ModelManifest.decode(bytes) } catch { throw .notAModelManifest(manifestCID.description) }
            local = ModelStore.isValidName(name) && (try? CID(name)) == nil ? name : "model-\(manifestCID.description.suffix(12))"
            do { try store.register(manifestBytes: bytes, name: local, source: "fetched \(manifestCID)") } catch {
                throw .storage(error.description)
            }
        }
        let plan: BlockPlan
        do { plan = try BlockPlan(manifest: manifest, profile: profile, memoryBudget: memoryBudget ?? Int.max / 4) } catch {
            throw .fetchFailed(content: name, reason: "no block plan: \(error)")
        }
        let blobs = BlobStore(database: database)
        let needed = Set(manifest.tokenizer.map(\.cid) + plan.choices.values.map(\.cid)).filter { !blobs.contains($0) }
        let transfer = self.transfer, providerHints = hints
        // Four fetches at a time; a fetch that fails (a session lost under it) is tried again, resuming
        // from the chunks it stored.
        let queue = Array(needed)
        let results = await withTaskGroup(of: (CID, FetchStatus?).self) { group in
            @Sendable func attempt(_ c: CID) async -> (CID, FetchStatus?) {
                var last: FetchStatus?
                for _ in 0..<3 {
                    last = try? await transfer.fetch(c, hints: providerHints).get()
                    if last?.state == .done { break }
                }
                return (c, last)
            }
            var next = 0
            while next < min(4, queue.count) { let c = queue[next]; next += 1; group.addTask { await attempt(c) } }
            var all: [(CID, FetchStatus?)] = []
            for await r in group {
                all.append(r)
                if next < queue.count { let c = queue[next]; next += 1; group.addTask { await attempt(c) } }
            }
            return all
        }
        for (c, status) in results where status?.state != .done {
            throw .fetchFailed(content: c.description, reason: status?.error ?? "the fetch ended without a status")
        }
        return (local, fetched + needed.count)
    }

    /// Fetches `content` and reads the stored bytes back.
    func fetchBytes(_ content: CID, hints: [PeerKey]) async throws(ContentShareError) -> [UInt8] {
        let status: FetchStatus
        do { status = try await transfer.fetch(content, hints: hints).get() } catch {
            throw .fetchFailed(content: content.description, reason: "\(error)")
        }
        guard status.state == .done else { throw .fetchFailed(content: content.description, reason: status.error ?? "failed") }
        do { return try BlobStore(database: database).get(content, verify: true) } catch {
            throw .fetchFailed(content: content.description, reason: "stored but unreadable: \(error)")
        }
    }
}
