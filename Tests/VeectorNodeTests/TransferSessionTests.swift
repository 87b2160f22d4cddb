import ContentID
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import VeectorCrypto
import VeectorDB
import VeectorNet
import VeectorNode
import VeectorSession
import VeectorTestSupport
import VeectorTransfer

/// `TransferDriver` on real encrypted sessions over loopback TCP, in one process: each node has its own
/// database, `PeerLinks` and listener; providers are found through a discovery closure standing in for
/// the DHT lookup (the DHT has its own tests; the multi-process tests use the real one).
@Suite("Transfer over real sessions", .serialized)
struct TransferSessionTests {
    /// One node: database, sessions, transfer driver.
    final class Node: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "vtransfer-node")
        let db: Database
        let links: PeerLinks
        let listener: SessionListener
        let driver: TransferDriver
        let task: Task<Void, Never>
        let announced = NIOLockedValueBox<[CID]>([])

        /// `patience`: how long a fetch waits for a usable provider. Generous by default: when other suites
        /// block the cooperative threads, the dialling tasks can be late by tens of seconds.
        init(corrupt: Bool = false, patience: Duration = .seconds(90),
             providers: @escaping @Sendable () -> [SocketAddress] = { [] }) async throws {
            db = try Database.open(path: dir.file("db"))
            let group = MultiThreadedEventLoopGroup.singleton
            let logger = Logger(label: "transfer-test")
            let endpoint = SessionEndpoint(configuration: SessionConfiguration(role: .responder, identity: SigningKeyPair.generate()),
                                           group: group, logger: logger)
            listener = try await endpoint.listen(host: "127.0.0.1", port: 0)
            links = PeerLinks(endpoint: endpoint, logger: logger)
            let announced = self.announced
            var configuration = TransferConfiguration()
            configuration.providerPatience = patience
            driver = TransferDriver(
                links: links, source: NodeContentSource(database: db, corruptChunks: corrupt), store: FetchStore(database: db),
                discovery: .init(findProviders: { _ in providers() }, announce: { c in announced.withLockedValue { $0.append(c) } }),
                group: group, configuration: configuration, logger: logger)
            links.register(.transfer, driver: driver)
            let links = self.links, listener = self.listener
            task = Task { await links.run(listener: listener) }
        }

        var address: SocketAddress { listener.localAddress }

        func stop() async {
            task.cancel()
            _ = await task.value
            try? db.close()
        }
    }

    static func content(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return rng.bytes(count)
    }

    @Test("a fetch with two providers completes, verified, stored memory-mappable and announced")
    func twoProviders() async throws {
        let bytes = Self.content(NodeContentSource.chunkSize * 12 + 5, seed: 1)
        let a = try await Node(), b = try await Node()
        let cid = try BlobStore(database: a.db).put(bytes, layout: .aligned)
        try BlobStore(database: b.db).put(bytes, layout: .aligned)
        let addresses = [a.address, b.address]
        let c = try await Node(providers: { addresses })
        let status = try await c.driver.fetch(cid).get()
        #expect(status.state == .done, "\(status.error ?? "")")
        #expect(status.bytesHeld == UInt64(bytes.count) && status.chunksHeld == 13)
        // Both were found; which delivers is the scheduler's choice (the faster one gets the chunks).
        #expect(status.providersFound == 2)
        #expect(Set(status.chunksFrom.keys).isSubset(of: [a.links.ownKey.hex, b.links.ownKey.hex]))
        #expect(status.chunksFrom.values.reduce(0, +) >= 13)
        #expect(try BlobStore(database: c.db).get(cid, verify: true) == bytes)
        #expect(try BlobStore(database: c.db).map(cid).bytes.count == bytes.count)
        // The announcement is spawned once the fetch has ended: wait for it (a loaded machine may lag).
        for _ in 0..<250 where c.announced.withLockedValue({ $0 }).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(c.announced.withLockedValue { $0 } == [cid])
        // Fetching content already held answers at once.
        #expect(try await c.driver.fetch(cid).get().state == .done)
        for n in [a, b, c] { await n.stop() }
    }

    @Test("a provider serving corrupted chunks is detected and dropped; the honest one completes the fetch")
    func corruptProvider() async throws {
        let bytes = Self.content(NodeContentSource.chunkSize * 8, seed: 2)
        let honest = try await Node(), liar = try await Node(corrupt: true)
        let cid = try BlobStore(database: honest.db).put(bytes, layout: .aligned)
        try BlobStore(database: liar.db).put(bytes, layout: .aligned)
        // The first lookup finds only the liar (so it must serve, and be caught, whatever the timing);
        // the next one, asked when no usable provider is left, finds the honest one.
        let lookups = NIOLockedValueBox(0)
        let liarAddress = liar.address, honestAddress = honest.address
        let c = try await Node(providers: {
            lookups.withLockedValue { n in defer { n += 1 }; return n == 0 ? [liarAddress] : [liarAddress, honestAddress] }
        })
        let status = try await c.driver.fetch(cid).get()
        #expect(status.state == .done, "\(status.error ?? "")")
        #expect(status.corruptChunks >= 1)
        #expect(status.bannedPeers == [liar.links.ownKey.hex])
        #expect(status.chunksFrom.keys.sorted() == [honest.links.ownKey.hex])
        #expect(try BlobStore(database: c.db).get(cid, verify: true) == bytes)
        for n in [honest, liar, c] { await n.stop() }
    }

    @Test("a fetch resumes from the chunks an earlier attempt stored, fetching only the rest")
    func resumes() async throws {
        let bytes = Self.content(NodeContentSource.chunkSize * 6, seed: 3)
        let a = try await Node()
        let cid = try BlobStore(database: a.db).put(bytes, layout: .aligned)
        let addresses = [a.address]
        let c = try await Node(providers: { addresses })
        // An earlier attempt got chunks 0, 2 and 5 before it was interrupted.
        let manifest = try #require(a.driver.source.manifest(for: cid))
        let store = FetchStore(database: c.db)
        try store.begin(manifest)
        for i in [0, 2, 5] {
            try store.store(chunk: Array(bytes[i * NodeContentSource.chunkSize ..< (i + 1) * NodeContentSource.chunkSize]))
        }
        let status = try await c.driver.fetch(cid).get()
        #expect(status.state == .done, "\(status.error ?? "")")
        #expect(status.resumedChunks == 3)
        #expect(status.chunksFrom.values.reduce(0, +) == 3)
        #expect(try BlobStore(database: c.db).get(cid, verify: true) == bytes)
        for n in [a, c] { await n.stop() }
    }

    @Test("with no provider the fetch fails with a reason instead of hanging")
    func noProvider() async throws {
        let c = try await Node(patience: .seconds(5))
        let status = try await c.driver.fetch(CID.sha256(of: Array("nobody has this".utf8))).get()
        #expect(status.state == .failed)
        #expect(status.error?.contains("no provider") == true, "\(status.error ?? "")")
        await c.stop()
    }
}
