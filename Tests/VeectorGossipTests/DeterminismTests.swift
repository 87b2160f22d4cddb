import Testing
import VeectorGossip
import VeectorWire

@Suite("Gossip determinism")
struct DeterminismTests {
    /// The full action trace of a 20-node run with `seed`.
    func trace(seed: UInt64) -> [String] {
        let net = GossipNetwork(count: 20, seed: seed, configuration: simulationConfiguration())
        net.trace = []
        net.randomTopology(Array(0..<20), meanDegree: 4, maxDegree: 6)
        subscribeAll(net)
        let start = net.now
        for m in 0..<10 {
            net.command(Int(net.rng.next() % 20), .publish(announce, .inline(Array("m\(m)".utf8))),
                        at: start.advanced(by: .milliseconds(Int64(70 * m))))
        }
        net.run(until: start.advanced(by: .seconds(4)))
        return net.trace!
    }

    @Test("the same seed gives the same trace; another seed gives another")
    func sameSeedSameTrace() {
        let a = trace(seed: 2024), b = trace(seed: 2024), c = trace(seed: 2025)
        #expect(a.count > 500)
        #expect(a == b)
        #expect(a != c)
    }
}
