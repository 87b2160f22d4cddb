import Testing
import VeectorWire
@testable import VeectorSim

/// Small runs of the real transfer cores on every simulated peer (the 500-peer run is a benchmark).
@Suite struct TransferSimulationTests {
    static func scenario(_ text: String) throws -> Scenario { try ScenarioParser.parse(text, name: "transfer-test") }

    static let swarm = """
    peers 30
    duration 240s
    seed 31
    at 0s   join all via 0 over 5s
    at 10s  share 0 1MiB as block
    at 15s  adversary transfer-garbage 3
    at 20s  fetch all block over 2s
    at 24s  crash-providers 2
    at 25s  crash 20%
    at 60s  restart
    """

    @Test func sameSeedGivesTheSameTraceAndAnotherSeedDoesNot() throws {
        let s = try Self.scenario(Self.swarm)
        let a = TransferSimulation(scenario: s).run()
        let b = TransferSimulation(scenario: s).run()
        var other = s
        other.seed = 32
        let c = TransferSimulation(scenario: other).run()
        #expect(a.traceHash == b.traceHash)
        #expect(a.events == b.events)
        #expect(a.completed == b.completed)
        #expect(a.traceHash != c.traceHash)
        #expect(a.events > 1000, "the run did real work: \(a.events) events")
    }

    @Test func everyHonestPeerGetsTheBlockDespiteCrashesAndGarbage() throws {
        let r = TransferSimulation(scenario: try Self.scenario(Self.swarm)).run()
        print("transfer swarm: \(r.summary)")
        #expect(r.violations.isEmpty, "\(r.violations)")
        #expect(r.contents == 1 && r.contentBytes == 1 << 20)
        #expect(r.fetches == 26, "30 peers less the publisher and 3 attackers")
        #expect(r.completionRatio == 1, "\(r.summary)")
        #expect(r.providerCrashes >= 1, "the publisher was serving when crash-providers came: \(r.summary)")
        #expect(r.adversaries.count == 3)
        #expect(r.adversaries.badChunksRejected > 0)
        #expect(r.adversaries.banned == 3, "\(r.summary)")
        #expect(r.adversaries.honestPeersAcceptedCorrupt == 0)
        #expect(r.publisherShare < 0.5, "finished peers served most of the bytes: \(r.summary)")
    }

    static let resume = """
    peers 24
    duration 300s
    seed 41
    network latency 10ms..80ms jitter 5ms loss 0.5% uplink 4Mbit
    at 0s   join all via 0 over 5s
    at 10s  share 0 4MiB as block
    at 20s  fetch all block over 2s
    at 30s  crash-fetchers 6
    at 60s  restart
    """

    @Test func aFetcherThatCrashesMidTransferFetchesOnlyWhatItLacks() throws {
        let r = TransferSimulation(scenario: try Self.scenario(Self.resume)).run()
        print("transfer resume: \(r.summary)")
        #expect(r.violations.isEmpty, "\(r.violations)")
        #expect(r.resumes.fetcherCrashes == 6, "six peers were midway at 30 s: \(r.summary)")
        #expect(r.resumed == 6, "each crashed fetcher resumed from its stored chunks: \(r.summary)")
        #expect(r.resumes.chunksKept > 0 && r.resumes.chunksFetched > 0, "\(r.summary)")
        #expect(r.resumes.chunksRequestedAgain == 0)
        // Each resumed fetch finished with every one of the 16 chunks: those it kept plus those it fetched.
        #expect(r.completionRatio == 1, "\(r.summary)")
        #expect(r.resumes.chunksKept + r.resumes.chunksFetched == 6 * 16, "\(r.summary)")
    }

    @Test func parserReadsTransferStatements() throws {
        let s = try Self.scenario("""
        at 1m share 0 4MiB as block
        at 2m fetch 50% block over 60s
        at 2m fetch peer 7 block
        at 150s crash-providers 2
        at 160s crash-fetchers 10%
        at 0s adversary transfer-garbage 5
        """)
        #expect(s.hasTransfer && !s.hasGossip)
        #expect(s.timeline.map(\.step) == [.transferAdversary(.count(5)),
                                          .share(peer: 0, size: 4 << 20, name: "block"),
                                          .fetch(.some(.fraction(0.5)), name: "block", over: .seconds(60)),
                                          .fetch(.peer(7), name: "block", over: .zero),
                                          .crashProviders(.count(2)),
                                          .crashFetchers(.fraction(0.1))])
        #expect(throws: ScenarioError.self) { try Self.scenario("at 0s share 0 4XB") }
        #expect(throws: ScenarioError.self) { try Self.scenario("at 0s fetch peer") }
        #expect(throws: ScenarioError.self) { try Self.scenario("at 0s crash-fetchers") }
        #expect(try !Self.scenario("at 0s gossip 5").hasTransfer)
    }
}
