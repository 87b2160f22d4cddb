import ContentID
import Testing
import VeectorTransfer
import VeectorWire

/// The serving side alone: answers, limits, `busy`, cancels and malformed requests.
@Suite struct ProviderTests {
    let asker = peerKey(1)

    func provider(_ config: ProviderConfiguration = ProviderConfiguration()) throws -> (ProviderCore<MemorySource>, TransferManifest, [[UInt8]]) {
        let (_, m, chunks) = try testContent(size: 64 * 1024, chunkSize: 1024, seed: 3)
        var source = MemorySource()
        source.add(m, chunks)
        return (ProviderCore(source: source, configuration: config), m, chunks)
    }

    func messages(_ actions: [ProviderAction]) -> [TransferMessage] {
        actions.compactMap { if case let .send(_, bytes) = $0 { try? TransferMessage(decoding: bytes) } else { nil } }
    }

    @Test func answersManifestRequestsAndSendsWantedChunksThroughItsWindow() throws {
        var (p, m, chunks) = try provider()
        var rng = SeededGenerator(seed: 1)
        let first = p.handle(.received(from: asker, bytes: TransferMessage.manifestRequest(m.content).encoded()), now: .zero, rng: &rng)
        #expect(messages(first) == [.manifest(m)])
        let sent = p.handle(.received(from: asker, bytes: TransferMessage.want(m.content, [3, 4, 5, 6]).encoded()), now: .zero, rng: &rng)
        #expect(messages(sent) == [.chunk(m.content, index: 3, bytes: chunks[3]), .chunk(m.content, index: 4, bytes: chunks[4])])
        #expect(p.queued(for: asker) == 2)
        let next = p.handle(.sendCompleted(to: asker), now: .zero, rng: &rng)
        #expect(messages(next) == [.chunk(m.content, index: 5, bytes: chunks[5])])
        #expect(p.stats.chunksServed == 3)
    }

    @Test func saysDontHaveForMissingContentAndChunks() throws {
        var (p, m, _) = try provider()
        var rng = SeededGenerator(seed: 1)
        let unknown = CID.sha256(of: [1, 2, 3])
        #expect(messages(p.handle(.received(from: asker, bytes: TransferMessage.manifestRequest(unknown).encoded()), now: .zero, rng: &rng))
                == [.dontHave(unknown, [])])
        let out = p.handle(.received(from: asker, bytes: TransferMessage.want(m.content, [70, 1]).encoded()), now: .zero, rng: &rng)
        #expect(messages(out) == [.dontHave(m.content, [70]), .chunk(m.content, index: 1, bytes: try #require(p.source.chunk(of: m.content, index: 1)))])
    }

    @Test func partialHoldersAdvertiseTheirRanges() throws {
        var (p, m, _) = try provider()
        p.source.ranges[m.content] = [0..<10, 20..<30]
        var rng = SeededGenerator(seed: 1)
        let out = p.handle(.received(from: asker, bytes: TransferMessage.manifestRequest(m.content).encoded()), now: .zero, rng: &rng)
        #expect(messages(out) == [.manifest(m), .have(m.content, [0..<10, 20..<30])])
        let want = p.handle(.received(from: asker, bytes: TransferMessage.want(m.content, [15]).encoded()), now: .zero, rng: &rng)
        #expect(messages(want) == [.dontHave(m.content, [15])])
    }

    @Test func tooManyWantsAreAnsweredBusyWithARetryAfter() throws {
        var config = ProviderConfiguration()
        config.maxQueuedPerPeer = 8
        config.sendWindow = 1
        var (p, m, _) = try provider(config)
        var rng = SeededGenerator(seed: 1)
        let out = messages(p.handle(.received(from: asker, bytes: TransferMessage.want(m.content, Array(0..<20)).encoded()), now: .zero, rng: &rng))
        #expect(out.count == 2)
        guard case let .busy(_, after, refused) = out[0] else { Issue.record("expected busy first, got \(out)"); return }
        #expect(refused == Array(8..<20))
        #expect(after >= 500)
        #expect(p.stats.chunksRefused == 12)
        #expect(p.queued(for: asker) == 7)
    }

    @Test func tooManyPeersAtOnceAreToldBusy() throws {
        var config = ProviderConfiguration()
        config.maxPeers = 2
        var (p, m, _) = try provider(config)
        var rng = SeededGenerator(seed: 1)
        for n in 0..<2 { _ = p.handle(.received(from: peerKey(10 + n), bytes: TransferMessage.want(m.content, [0, 1, 2]).encoded()), now: .zero, rng: &rng) }
        let third = messages(p.handle(.received(from: peerKey(12), bytes: TransferMessage.want(m.content, [0]).encoded()), now: .zero, rng: &rng))
        guard case .busy(_, _, [0])? = third.first else { Issue.record("expected busy, got \(third)"); return }
        #expect(p.activePeerCount == 2)
    }

    @Test func cancelDropsQueuedChunks() throws {
        var config = ProviderConfiguration()
        config.sendWindow = 1
        var (p, m, _) = try provider(config)
        var rng = SeededGenerator(seed: 1)
        _ = p.handle(.received(from: asker, bytes: TransferMessage.want(m.content, [0, 1, 2, 3]).encoded()), now: .zero, rng: &rng)
        _ = p.handle(.received(from: asker, bytes: TransferMessage.cancel(m.content, [2]).encoded()), now: .zero, rng: &rng)
        #expect(p.queued(for: asker) == 2)
        #expect(messages(p.handle(.sendCompleted(to: asker), now: .zero, rng: &rng)).map(\.chunkIndex) == [1])
        #expect(messages(p.handle(.sendCompleted(to: asker), now: .zero, rng: &rng)).map(\.chunkIndex) == [3])
        _ = p.handle(.received(from: asker, bytes: TransferMessage.want(m.content, [5, 6]).encoded()), now: .zero, rng: &rng)
        _ = p.handle(.received(from: asker, bytes: TransferMessage.cancel(m.content, []).encoded()), now: .zero, rng: &rng)
        #expect(p.queued(for: asker) == 0)
        #expect(p.stats.cancelled == 3)
    }

    @Test func oversizedOrMalformedRequestsDisconnectThePeer() throws {
        var (p, m, chunks) = try provider()
        var rng = SeededGenerator(seed: 1)
        let big = TransferMessage.chunk(m.content, index: 0, bytes: chunks[0] + [UInt8](repeating: 0, count: 9000)).encoded()
        let a = p.handle(.received(from: asker, bytes: big), now: .zero, rng: &rng)
        guard case let .disconnect(peer, reason)? = a.first else { Issue.record("expected a disconnect, got \(a)"); return }
        #expect(peer == asker && reason.contains("exceeds"))
        // More indices than a want may carry: typed error from the decoder, peer disconnected.
        var tooMany: [UInt8] = [1, 3, UInt8(m.content.bytes.count)] + m.content.bytes + [0x02, 0x01]
        for i in 0..<513 { tooMany += [0, 0, UInt8(i >> 8), UInt8(i & 255)] }
        var q = try provider().0
        let b = q.handle(.received(from: asker, bytes: tooMany), now: .zero, rng: &rng)
        guard case let .disconnect(_, why)? = b.first else { Issue.record("expected a disconnect, got \(b)"); return }
        #expect(why.contains("want.count"))
        // An answer where a request belongs.
        let c = q.handle(.received(from: asker, bytes: TransferMessage.dontHave(m.content, []).encoded()), now: .zero, rng: &rng)
        #expect(c.count == 1 && { if case .disconnect = c[0] { true } else { false } }())
        #expect(q.stats.peersDisconnected == 2)
    }

    @Test func floodsAreRateLimitedThenDisconnected() throws {
        var config = ProviderConfiguration()
        config.maxMessagesPerInterval = 10
        var (p, m, _) = try provider(config)
        var rng = SeededGenerator(seed: 1)
        var disconnected = false
        for n in 0..<21 {
            let out = p.handle(.received(from: asker, bytes: TransferMessage.manifestRequest(m.content).encoded()), now: .zero, rng: &rng)
            if n < 10 { #expect(messages(out).count == 1) }
            if case .disconnect? = out.first { disconnected = true }
        }
        #expect(p.stats.rateLimited == 11)
        #expect(disconnected)
        // A new interval starts afresh.
        let later = p.handle(.received(from: asker, bytes: TransferMessage.manifestRequest(m.content).encoded()), now: .seconds(2), rng: &rng)
        #expect(messages(later).count == 1)
    }
}

extension TransferMessage {
    var chunkIndex: Int? { if case let .chunk(_, i, _) = self { i } else { nil } }
}
