import ContentID
import Logging
import NIOPosix
import Testing
import VeectorCrypto
import VeectorDHT
import VeectorNet
import VeectorNode
import VeectorWire

/// Model heads (`ModelHead`): the signed "newest version of model NAME by this key" record in the DHT —
/// its encoding and checks, and publish / find / replace on real UDP nodes.
@Suite("Model heads in the DHT", .timeLimit(.minutes(2)))
struct ModelHeadTests {
    static let manifest = CID.sha256(of: Array("a model manifest".utf8))

    @Test("a signed head reads back; forged signature, foreign salt, renamed value and long names are refused")
    func encodingAndChecks() throws {
        let keys = SigningKeyPair.generate()
        let head = ModelHead(name: "smollm2", manifest: Self.manifest, arch: "llama", bytes: 93_000_000, publishedAt: 1_790_000_000_123)
        let item = try head.signed(with: keys)
        #expect(item.salt == Array("veector-head-v1:smollm2".utf8))
        #expect(item.seq == head.publishedAt)
        #expect(item.target == (try ModelHead.target(publicKey: keys.publicKey, name: "smollm2")))
        #expect(try ModelHead(item: item) == head)

        var forged = item
        forged.signature[0] ^= 1
        #expect(throws: ModelHeadError.badSignature) { try ModelHead(item: forged) }

        let endpoint = MutableItem.signed(value: head.value, seq: 1, salt: Array("veector-endpoint-v1".utf8), keyPair: keys)
        #expect(throws: ModelHeadError.wrongSalt) { try ModelHead(item: endpoint) }

        // A value whose name is not the salt's: someone re-signing another model's head under this name.
        let renamed = MutableItem.signed(value: head.value, seq: 1, salt: Array("veector-head-v1:other".utf8), keyPair: keys)
        #expect(throws: ModelHeadError.self) { try ModelHead(item: renamed) }

        let long = String(repeating: "m", count: ModelHead.maxNameBytes + 1)
        #expect(!ModelHead.isPublishable(long))
        #expect(ModelHead.isPublishable(String(repeating: "m", count: ModelHead.maxNameBytes)))
        #expect(throws: ModelHeadError.nameTooLong(long)) { try ModelHead.salt(for: long) }
    }

    @Test("published on real UDP nodes: another node finds it, a newer version replaces it, a wrong name is not found")
    func publishAndFind() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let logger = Logger(label: "test")
        var rng = SeededGenerator(seed: 7)
        var runners: [DHTRunner] = []
        for _ in 0..<4 {
            runners.append(try await DHTRunner.start(ownID: NodeID.random(using: &rng), configuration: DHTConfiguration(), snapshot: nil,
                                                     host: "127.0.0.1", port: 0, group: group, logger: logger))
        }
        for r in runners.dropFirst() {
            _ = try await r.perform(.bootstrap([runners[0].driver.localAddress]))
        }
        for r in runners { _ = try await r.perform(.bootstrap(runners.map(\.driver.localAddress))) }

        let publisher = SigningKeyPair.generate()
        let v1 = ModelHead(name: "smollm2", manifest: Self.manifest, arch: "llama", bytes: 1000, publishedAt: 1_000)
        let stored = try await runners[1].publish(v1, keyPair: publisher)
        #expect(stored.stored >= 1)
        let (found, _) = try await runners[3].modelHead(of: publisher.publicKey, name: "smollm2")
        #expect(found == v1)

        let v2 = ModelHead(name: "smollm2", manifest: CID.sha256(of: Array("evolved".utf8)), arch: "llama", bytes: 1001, publishedAt: 2_000)
        _ = try await runners[1].publish(v2, keyPair: publisher)
        let (newer, _) = try await runners[2].modelHead(of: publisher.publicKey, name: "smollm2")
        #expect(newer == v2)

        await #expect(throws: EndpointLookupError.self) { _ = try await runners[3].modelHead(of: publisher.publicKey, name: "minilm") }
        await #expect(throws: EndpointLookupError.self) {
            _ = try await runners[3].modelHead(of: SigningKeyPair.generate().publicKey, name: "smollm2")
        }
        for r in runners { await r.close() }
    }
}
