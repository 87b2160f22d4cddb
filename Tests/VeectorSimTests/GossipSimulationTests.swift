import Testing
import VeectorWire
@testable import VeectorSim

/// Small runs of the real gossip core on every simulated peer (the 500-peer run is a benchmark).
@Suite struct GossipSimulationTests {
    static func scenario(_ text: String) throws -> Scenario { try ScenarioParser.parse(text, name: "gossip-test") }

    static let small = """
    peers 40
    duration 150s
    seed 21
    at 0s   join all via 0 over 10s
    at 40s  gossip 20
    at 70s  gossip 10
    """

    @Test func sameSeedGivesTheSameTraceAndAnotherSeedDoesNot() throws {
        let s = try Self.scenario(Self.small)
        let a = GossipSimulation(scenario: s).run()
        let b = GossipSimulation(scenario: s).run()
        var other = s
        other.seed = 22
        let c = GossipSimulation(scenario: other).run()
        #expect(a.traceHash == b.traceHash)
        #expect(a.events == b.events)
        #expect(a.deliveries == b.deliveries)
        #expect(a.traceHash != c.traceHash)
        #expect(a.events > 1000, "the run did real work: \(a.events) events")
    }

    @Test func everyHonestPeerGetsEveryMessageWithFewDuplicates() throws {
        let r = GossipSimulation(scenario: try Self.scenario(Self.small)).run()
        #expect(r.violations.isEmpty, "\(r.violations)")
        #expect(r.messages == 30)
        #expect(r.expectedDeliveries == 30 * 39)
        #expect(r.deliveryRatio == 1, "\(r.summary)")
        #expect(r.unconverged == 0, "\(r.summary)")
        #expect(r.copiesMean <= 2, "\(r.summary)")
        #expect(r.latencyMilliseconds.count == 30 * 39)
    }

    @Test func messagesPublishedDuringAPartitionReachTheOtherSideAfterHealing() throws {
        let r = GossipSimulation(scenario: try Self.scenario("""
        peers 40
        duration 200s
        seed 23
        at 0s   join all via 0 over 10s
        at 30s  gossip 5
        at 50s  partition 50%
        at 60s  gossip 10
        at 80s  heal
        at 120s gossip 5
        """)).run()
        print("gossip partition-heal: \(r.summary)")
        #expect(r.violations.isEmpty, "\(r.violations)")
        #expect(r.messages == 20)
        let ratio = try #require(r.partitionDeliveryRatio)
        #expect(ratio == 1, "messages published during the partition: \(r.summary)")
        #expect(r.deliveryRatio == 1, "\(r.summary)")
    }

    @Test func attackersReachNoHonestPeerAndAreGraylisted() throws {
        let r = GossipSimulation(scenario: try Self.scenario("""
        peers 40
        duration 150s
        seed 24
        at 0s   join all via 0 over 10s
        at 20s  gossip 10
        at 30s  adversary gossip-forge 2 rate 5
        at 30s  adversary gossip-garbage 2 rate 5
        at 30s  adversary gossip-replay 2 rate 5
        at 60s  gossip 10
        """)).run()
        print("gossip adversaries: \(r.summary)")
        #expect(r.violations.isEmpty, "\(r.violations)")
        #expect(r.adversaries.byKind == ["gossip-forge": 2, "gossip-garbage": 2, "gossip-replay": 2])
        #expect(r.adversaries.frames > 0)
        #expect(r.adversaries.honestRejections > 0)
        #expect(r.adversaries.honestPeersReached == 0)
        #expect(r.adversaries.graylisted == 6, "\(r.summary)")
        #expect(r.deliveryRatio == 1, "\(r.summary)")
    }

    @Test func parserReadsGossipStatements() throws {
        let s = try Self.scenario("""
        at 2m gossip 50
        at 0s adversary gossip-forge 5 rate 2
        at 0s adversary gossip-garbage 10%
        """)
        #expect(s.hasGossip)
        #expect(s.timeline.map(\.step) == [.gossipAdversary(.forge, .count(5), rate: 2),
                                          .gossipAdversary(.garbage, .fraction(0.1), rate: 10),
                                          .gossip(count: 50)])
        #expect(throws: ScenarioError.self) { try Self.scenario("at 0s adversary gossip-sing 5") }
        #expect(try !Self.scenario("at 0s publish 5").hasGossip)
    }
}
