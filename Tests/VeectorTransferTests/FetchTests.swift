import ContentID
import Testing
import VeectorTransfer
import VeectorWire

/// The fetcher and providers together, in memory: the content arrives whole and correct whatever
/// the providers do.
@Suite struct FetchTests {
    static func source(_ m: TransferManifest, _ chunks: [[UInt8]]) -> MemorySource {
        var s = MemorySource()
        s.add(m, chunks)
        return s
    }

    @Test func twoProvidersDeliverTheWholeContentAndShareTheWork() throws {
        let (bytes, m, chunks) = try testContent(size: 1 << 20, chunkSize: 64 << 10)
        let swarm = Swarm(request: TransferRequest(content: m.content))
        swarm.addProvider(Self.source(m, chunks))
        swarm.addProvider(Self.source(m, chunks))
        swarm.run()
        #expect(swarm.failed == nil)
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
        #expect(swarm.fetcher.isFinished)
        let from = swarm.fetcher.stats.chunksFrom
        #expect(from.count == 2, "both providers served: \(from)")
        #expect(from.values.reduce(0, +) == 16)
        #expect(swarm.fetcher.stats.corruptChunks == 0)
    }

    @Test func aCorruptProviderIsBannedAndNothingItSentIsStored() throws {
        let (bytes, m, chunks) = try testContent(size: 2 << 20, chunkSize: 64 << 10, seed: 11)
        let swarm = Swarm(request: TransferRequest(content: m.content))
        for _ in 0..<3 { swarm.addProvider(Self.source(m, chunks)) }
        let bad = swarm.addProvider(Self.source(m, chunks), bytesPerSecond: 20_000_000)
        swarm.providers[bad].corrupt = true
        swarm.run()
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
        for (i, chunk) in swarm.stored { #expect(chunk == chunks[i], "chunk \(i) stored as sent by a corrupt peer") }
        #expect(swarm.fetcher.stats.corruptChunks >= 1)
        #expect(swarm.fetcher.bannedPeers == [swarm.providers[bad].key])
        #expect(swarm.fetcher.stats.chunksFrom[swarm.providers[bad].key] == nil)
        #expect(swarm.disconnects.contains { $0.0 == swarm.providers[bad].key && $0.1 == .corruptChunk })
    }

    @Test func aProviderThatVanishesMidTransferIsReplacedByTheOthers() throws {
        let (bytes, m, chunks) = try testContent(size: 2 << 20, chunkSize: 64 << 10, seed: 12)
        let swarm = Swarm(request: TransferRequest(content: m.content))
        let leaving = swarm.addProvider(Self.source(m, chunks), bytesPerSecond: 2_000_000)
        swarm.addProvider(Self.source(m, chunks), bytesPerSecond: 2_000_000)
        swarm.at(.zero.advanced(by: .milliseconds(300)), .vanish(leaving))
        swarm.run()
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
        let fromLeaving = swarm.fetcher.stats.chunksFrom[swarm.providers[leaving].key] ?? 0
        #expect(fromLeaving > 0 && fromLeaving < 32, "it served part of the content before it left: \(fromLeaving)")
        #expect(swarm.fetcher.bannedPeers.isEmpty)
    }

    @Test func aRestartedFetchResumesFromTheChunksAlreadyHeld() throws {
        let (bytes, m, chunks) = try testContent(size: 2 << 20, chunkSize: 64 << 10, seed: 13)
        let first = Swarm(request: TransferRequest(content: m.content))
        first.addProvider(Self.source(m, chunks))
        first.crashAfterChunks = 12
        first.run()
        #expect(first.crashed && first.finished == nil)
        let saved = first.stored
        #expect(saved.count >= 12)

        // Restart with the saved manifest and the chunk CIDs the store holds.
        let held = Set(saved.keys.map { m.chunks[$0].cid })
        let second = Swarm(request: TransferRequest(content: m.content, manifest: first.fetcher.chosenManifest, heldChunks: held))
        second.stored = saved
        second.addProvider(Self.source(m, chunks))
        second.run()
        #expect(second.finished == m)
        #expect(second.assembled(m) == bytes)
        #expect(second.fetcher.stats.chunksVerified == 32 - saved.count, "only the missing chunks were fetched")
        #expect(second.fetcher.stats.manifestsReceived == 1)

        // Without the saved manifest, the held chunks still count once a manifest arrives.
        let third = Swarm(request: TransferRequest(content: m.content, heldChunks: held))
        third.stored = saved
        third.addProvider(Self.source(m, chunks))
        third.run()
        #expect(third.finished == m)
        #expect(third.fetcher.stats.chunksVerified == 32 - saved.count)
    }

    @Test func theFastProviderGetsMostChunks() throws {
        let (bytes, m, chunks) = try testContent(size: 4 << 20, chunkSize: 64 << 10, seed: 14)
        let swarm = Swarm(request: TransferRequest(content: m.content))
        let slow = swarm.addProvider(Self.source(m, chunks), bytesPerSecond: 500_000, latency: .milliseconds(80))
        let fast = swarm.addProvider(Self.source(m, chunks), bytesPerSecond: 8_000_000, latency: .milliseconds(10))
        swarm.run()
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
        let fromFast = swarm.fetcher.stats.chunksFrom[swarm.providers[fast].key] ?? 0
        let fromSlow = swarm.fetcher.stats.chunksFrom[swarm.providers[slow].key] ?? 0
        #expect(fromFast + fromSlow == 64)
        #expect(fromFast >= 52, "fast \(fromFast), slow \(fromSlow)")
    }

    @Test func aLyingManifestIsCaughtByTheWholeCheckAndAnotherIsUsed() throws {
        let (bytes, m, chunks) = try testContent(size: 1 << 20, chunkSize: 64 << 10, seed: 15)
        // The liar claims the content is 16 chunks of its own (consistent digests, wrong whole).
        var g = SeededGenerator(seed: 5)
        let fake = (0..<16).map { _ in g.bytes(64 << 10) }
        let lie = try TransferManifest(content: m.content, chunks: fake.map { ($0.count, Multihash.sha256($0).digest) })
        let swarm = Swarm(request: TransferRequest(content: m.content))
        let liar = swarm.addProvider(Self.source(lie, fake), latency: .milliseconds(1))
        swarm.addProvider(Self.source(m, chunks), latency: .milliseconds(30))
        swarm.run()
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
        #expect(swarm.fetcher.stats.wholeMismatches == 1)
        #expect(swarm.fetcher.bannedPeers == [swarm.providers[liar].key])
    }

    @Test func aPinnedManifestIDRefusesOtherManifestsAtOnce() throws {
        let (_, m, chunks) = try testContent(size: 256 << 10, chunkSize: 64 << 10, seed: 16)
        let (other, otherChunks) = try TransferManifest.splitting(chunks.flatMap { $0 }, chunkSize: 32 << 10)
        let swarm = Swarm(request: TransferRequest(content: m.content, manifestID: m.id))
        let different = swarm.addProvider(Self.source(other, otherChunks), latency: .milliseconds(1))
        swarm.addProvider(Self.source(m, chunks))
        swarm.run()
        #expect(swarm.finished == m)
        #expect(swarm.disconnects.contains { $0.0 == swarm.providers[different].key && $0.1 == .differentManifest })
        #expect(swarm.fetcher.stats.chunksFrom[swarm.providers[different].key] == nil)
    }

    @Test func everyProviderCorruptFailsWithTheReason() throws {
        let (_, m, chunks) = try testContent(size: 512 << 10, chunkSize: 64 << 10, seed: 17)
        var config = TransferConfiguration()
        config.providerPatience = .seconds(5)
        let swarm = Swarm(request: TransferRequest(content: m.content), configuration: config)
        for _ in 0..<2 { let i = swarm.addProvider(Self.source(m, chunks)); swarm.providers[i].corrupt = true }
        swarm.run()
        #expect(swarm.finished == nil)
        #expect(swarm.failed == .corruptContentFromEveryProvider(tried: 2))
        #expect(swarm.stored.isEmpty)
        #expect(swarm.needProviders == 2, "once at the start, once when none was left")
    }

    @Test func noProvidersFailsAfterThePatienceRunsOut() throws {
        let (_, m, _) = try testContent(size: 1000, chunkSize: 512, seed: 18)
        var config = TransferConfiguration()
        config.providerPatience = .seconds(5)
        let swarm = Swarm(request: TransferRequest(content: m.content), configuration: config)
        swarm.run()
        #expect(swarm.needProviders == 1)
        #expect(swarm.failed == .noProviders)
        #expect(swarm.now == .seconds(5))
    }

    @Test func providersWithoutTheContentOrUnreachableFailWithReasons() throws {
        let (_, m, _) = try testContent(size: 1000, chunkSize: 512, seed: 19)
        var config = TransferConfiguration()
        config.providerPatience = .seconds(5)
        let swarm = Swarm(request: TransferRequest(content: m.content), configuration: config)
        swarm.addProvider(MemorySource())
        let down = swarm.addProvider(MemorySource())
        swarm.providers[down].up = false
        swarm.run()
        #expect(swarm.failed == .allProvidersFailed(tried: 2, reasons: [.noContent: 1, .unreachable: 1]))
    }

    @Test func aCIDThatIsNotSHA256IsRefused() {
        let cid = CID(codec: .raw, multihash: Multihash(code: Multihash.identityCode, digest: [1, 2, 3]))
        var core = TransferCore(request: TransferRequest(content: cid))
        var rng = SeededGenerator(seed: 1)
        let actions = core.handle(.start, now: .zero, rng: &rng)
        #expect(actions == [.failed(.invalidRequest(.unsupportedCID(cid.description)))])
    }

    @Test func anOversizedChunkMessageBansItsSender() throws {
        let (_, m, chunks) = try testContent(size: 128 << 10, chunkSize: 64 << 10, seed: 20)
        var config = TransferConfiguration()
        config.maxMessageBytes = 32 << 10
        let swarm = Swarm(request: TransferRequest(content: m.content), configuration: config)
        swarm.addProvider(Self.source(m, chunks))
        swarm.run(limit: .seconds(20))
        #expect(swarm.disconnects.contains { $0.1 == .malformedMessage })
        #expect(swarm.stored.isEmpty)
    }
}
