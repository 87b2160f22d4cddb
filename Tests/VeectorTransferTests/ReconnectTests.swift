import Testing
import VeectorTransfer
import VeectorWire

/// A fetch whose only provider's session keeps dropping (the lost-session bug of long single-provider
/// fetches): it goes on while the provider delivers between drops, and a provider dropped as
/// `link-lost` is retried with back-off when the DHT names it again, instead of failing the fetch.
@Suite struct ReconnectTests {
    /// Cuts `provider`'s session (both ends see it drop) if it is up; true if it was.
    @discardableResult
    static func cut(_ swarm: Swarm, _ provider: Int) -> Bool {
        guard swarm.providers[provider].linked else { return false }
        swarm.closeLink(provider)
        swarm.feed(.linkDown(swarm.providers[provider].key))
        return true
    }

    @Test func aSessionThatDropsMoreOftenThanTheReconnectLimitStillFinishesWhileItDelivers() throws {
        let (bytes, m, chunks) = try testContent(size: 4 << 20, chunkSize: 64 << 10, seed: 31)
        let swarm = Swarm(request: TransferRequest(content: m.content))
        let only = swarm.addProvider(FetchTests.source(m, chunks), bytesPerSecond: 1_000_000)
        var cuts = 0
        for k in 0..<6 {
            swarm.at(.zero.advanced(by: .milliseconds(500 + 1_500 * k)), .call { if Self.cut(swarm, only) { cuts += 1 } })
        }
        swarm.run()
        #expect(cuts > TransferConfiguration().maxReconnects, "the session dropped more often than the reconnect limit: \(cuts)")
        #expect(swarm.failed == nil)
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
    }

    @Test func aProviderDroppedAsLinkLostIsRetriedWhenFoundAgain() throws {
        let (bytes, m, chunks) = try testContent(size: 512 << 10, chunkSize: 64 << 10, seed: 32)
        let swarm = Swarm(request: TransferRequest(content: m.content))
        let only = swarm.addProvider(FetchTests.source(m, chunks), latency: .milliseconds(200))
        // Every session is cut before the manifest can come back, for 5 s: the provider is dropped.
        for t in stride(from: 50, through: 5_000, by: 50) {
            swarm.at(.zero.advanced(by: .milliseconds(t)), .call { Self.cut(swarm, only) })
        }
        var droppedBeforeRediscovery = false
        swarm.at(.zero.advanced(by: .seconds(6)), .call {
            droppedBeforeRediscovery = swarm.disconnects.contains { $0.0 == swarm.providers[only].key && $0.1 == .linkLost }
            swarm.feed(.addProviders([swarm.providers[only].key]))  // the DHT names it again
        })
        swarm.run()
        #expect(droppedBeforeRediscovery, "the provider was given up before the DHT named it again")
        #expect(swarm.failed == nil)
        #expect(swarm.finished == m)
        #expect(swarm.assembled(m) == bytes)
        #expect(swarm.now < .seconds(30), "retried within the back-off, not after the provider refresh: \(swarm.now)")
    }
}
