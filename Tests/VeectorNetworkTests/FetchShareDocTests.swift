#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VeectorNet
import VeectorNode
import VeectorTestSupport

extension RealProcesses {
/// A document too large for a gossip message (1 MiB) shared between two users on three real
/// processes: only a signed reference travels on the inbox topic; the recipient's node fetches the
/// ciphertext package by CID through content transfer (verified), then it decrypts for the recipient
/// only. The third node relays the reference and holds no plaintext.
@Suite("Sharing a 1 MiB document by reference among 3 real veenode processes", .serialized, .timeLimit(.minutes(5)))
struct FetchShareDocTests {
    @Test("the package is fetched by CID, the recipient decrypts it, the relay sees only a signed reference")
    func largeDocumentByReference() throws {
        guard let veenode = builtProduct("veenode") else {
            Issue.record("the veenode binary is not built (swift build --build-tests builds it)")
            return
        }
        let dir = TemporaryDirectory(prefix: "vbigshare")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let cli = VeenodeCLI(veenode: veenode, timeout: 180)
        let names = ["alice", "relay", "bob"]
        for (i, name) in names.enumerated() { _ = try cli(["init", "--home", dir.file("n\(i)"), "--user", name]) }
        // 1 MiB: a marker line, then random bytes (the package cannot shrink below the gossip limit).
        let marker = "the quarterly figures — \(UUID().uuidString)\n"
        var secret = Array(marker.utf8)
        var rng = SystemRandomNumberGenerator()
        while secret.count < 1 << 20 { secret.append(UInt8.random(in: 0...255, using: &rng)) }
        try Data(secret).write(to: URL(fileURLWithPath: dir.file("figures.bin")))
        _ = try cli(["docs", "add", "--home", dir.file("n0"), dir.file("figures.bin")])

        let port = 27_000 + UInt16(getpid() % 2000)
        var nodes: [NodeProcess] = []
        defer { for n in nodes { n.stop(signal: SIGKILL) } }
        for i in 0..<names.count {
            var args = ["--host", "127.0.6.\(i + 1)", "--port", "\(port)", "--no-upnp", "--dht-rate-limit", "100000,100000"]
            if i > 0 { args += ["--bootstrap", "127.0.6.1:\(port)"] }
            nodes.append(try NodeProcess(veenode: veenode, home: dir.file("n\(i)"), arguments: args, initialized: true))
        }
        let swarm = nodes
        try waitUntil(seconds: 60) { try swarm.allSatisfy { try $0.call("gossip.status", as: GossipStatusReply.self).linked.count >= 1 } }

        let bobKey = try cli(["share", "key", "--home", dir.file("n2")]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(bobKey.count == 64)
        let shared = try decoder.decode(NetworkShare.self, from: Data(try cli(["share", "doc", "--home", dir.file("n0"), "figures.bin",
                                                                                     "--to", bobKey, "--json"]).utf8))
        // Every node relays the message, and it is a small reference, not the package.
        var relayed: [GossipDeliveryLog.Entry] = []
        try waitUntil(seconds: 30) {
            relayed = try swarm[1].call("gossip.messages", ["limit": "1000"], as: MessagesReply.self).messages.filter { $0.id == shared.message }
            return !relayed.isEmpty
        }
        #expect(relayed.allSatisfy { $0.payloadLength < 16_384 && !($0.text ?? "").contains("quarterly figures") })

        // Bob's inbox lists it once his node has fetched the package; it decrypts to the original bytes.
        var inbox: [ReceivedShare] = []
        try waitUntil(seconds: 90) {
            inbox = try decoder.decode([ReceivedShare].self, from: Data(try cli(["docs", "inbox", "--home", dir.file("n2"), "--json"]).utf8))
            return !inbox.isEmpty
        }
        #expect(inbox.count == 1 && inbox[0].title == "figures.bin")
        _ = try cli(["docs", "get", "--home", dir.file("n2"), "--inbox", String(inbox[0].id.prefix(10)), "--output", dir.file("got.bin")])
        #expect(FileManager.default.contents(atPath: dir.file("got.bin")).map(Array.init) == secret)

        // The relay's user has nothing and cannot open it.
        let relayInbox = try decoder.decode([ReceivedShare].self, from: Data(try cli(["docs", "inbox", "--home", dir.file("n1"), "--json"]).utf8))
        #expect(relayInbox.isEmpty)
        let wrong = try run(veenode, ["docs", "get", "--home", dir.file("n1"), "--inbox", String(inbox[0].id.prefix(10))], environment: cli.environment, timeout: 60)
        #expect(wrong.status != 0)
        #expect(!wrong.stdout.contains("quarterly figures"))
    }
}
}
