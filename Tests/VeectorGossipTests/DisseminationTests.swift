import Testing
import VeectorGossip
import VeectorWire

/// Timings for the simulated network (10–50 ms links).
func simulationConfiguration() -> GossipConfiguration {
    var c = GossipConfiguration()
    c.lazyDelay = .milliseconds(20)
    c.repairTimeout = .milliseconds(400)
    c.repairRetry = .milliseconds(300)
    c.targetPeers = 2
    c.maxEagerPeers = 3
    return c
}

let announce: GossipTopic = "announce"

/// Subscribes every honest node to `announce` and lets subscriptions settle.
func subscribeAll(_ net: GossipNetwork) {
    for n in net.honest { net.command(n, .subscribe(announce)) }
    net.run(until: net.now.advanced(by: .milliseconds(500)))
}

@Suite("Gossip dissemination")
struct DisseminationTests {
    @Test("100 nodes, 50 messages: everyone delivers each exactly once, few duplicates")
    func hundredNodes() throws {
        let net = GossipNetwork(count: 100, seed: 42, configuration: simulationConfiguration())
        net.randomTopology(Array(0..<100), meanDegree: 6, maxDegree: 10)
        subscribeAll(net)
        let start = net.now
        for m in 0..<50 {
            let author = Int(net.rng.next() % 100)
            net.command(author, .publish(announce, .inline(Array("message \(m)".utf8))),
                        at: start.advanced(by: .milliseconds(Int64(100 * m))))
        }
        net.run(until: start.advanced(by: .seconds(10)))

        #expect(net.published.count == 50)
        var copiesPerDelivery: [Int] = [], hopsSeen: [Int] = [], latencies: [Double] = []
        for (id, origin) in net.published {
            for n in 0..<100 where n != origin.author {
                #expect(net.deliveryCount[n][id] == 1, "node \(n) delivered \(id) \(net.deliveryCount[n][id] ?? 0) times")
                guard let d = net.deliveries[n][id] else { continue }
                copiesPerDelivery.append(net.copies[n][id] ?? 0)
                hopsSeen.append(d.hops)
                latencies.append(Double(d.time.duration(since: origin.time).nanosecondCount) / 1e6)
            }
            #expect(net.deliveryCount[origin.author][id] == nil, "the author must not deliver its own message")
        }
        let mean = Double(copiesPerDelivery.reduce(0, +)) / Double(copiesPerDelivery.count)
        let steady = net.published.sorted { $0.value.time < $1.value.time }.dropFirst(10).map(\.key)
        var steadyCopies: [Int] = []
        for id in steady { for n in 0..<100 where n != net.published[id]!.author { steadyCopies.append(net.copies[n][id] ?? 0) } }
        let steadyMean = Double(steadyCopies.reduce(0, +)) / Double(steadyCopies.count)
        let meanLatency = latencies.reduce(0, +) / Double(latencies.count)
        print("gossip-100: copies/node/message mean \(mean) max \(copiesPerDelivery.max()!) (after first 10 messages: mean \(steadyMean) max \(steadyCopies.max()!)); hops mean \(Double(hopsSeen.reduce(0, +)) / Double(hopsSeen.count)) max \(hopsSeen.max()!); latency mean \(meanLatency) ms max \(latencies.max()!) ms; grafts \(net.honest.map { net.nodes[$0]!.stats.graftsOut }.reduce(0, +))")
        #expect(mean <= 2.0)
        #expect(steadyMean <= 1.5)
    }
}
