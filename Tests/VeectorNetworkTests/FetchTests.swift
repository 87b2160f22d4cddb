#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VeectorNet
import VeectorNode
import VeectorTestSupport

/// Issue 4's "content by ID" on real `veenode` processes over loopback: the DHT finds providers, chunks
/// come over encrypted sessions. Slow (processes, a model): run with VEECTOR_FULL=1.
@Suite("Fetch content by ID between veenode processes", .serialized, .timeLimit(.minutes(20)),
       .enabled(if: ProcessInfo.processInfo.environment["VEECTOR_FULL"] == "1", "multi-process: set VEECTOR_FULL=1"))
struct FetchTests {
    /// Starts `count` nodes on 127.0.3.(base+i), the first the bootstrap of the others.
    static func swarm(_ dir: TemporaryDirectory, count: Int, base: Int, veenode: String,
                      prepare: (Int, FetchNode) throws -> Void = { _, _ in }, extra: (Int) -> [String] = { _ in [] }) throws -> [FetchNode] {
        let port = 23_000 + UInt16(getpid() % 2000)
        var nodes: [FetchNode] = []
        for i in 0..<count {
            let n = try FetchNode(veenode: veenode, home: dir.file("n\(i)"))
            try prepare(i, n)
            var args = ["--host", "127.0.3.\(base + i)", "--port", "\(port)"] + extra(i)
            if i > 0 { args += ["--bootstrap", "127.0.3.\(base):\(port)"] }
            try n.start(args)
            nodes.append(n)
        }
        // The DHT knows everyone before anything is announced.
        usleep(1_500_000)
        return nodes
    }

    static func randomFile(_ path: String, bytes: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        writeBytes(rng.bytes(bytes), to: path)
    }

    @Test("two providers, one killed mid-transfer: the fetch completes from the other and verifies")
    func providerKilledMidFetch() throws {
        guard let veenode = builtProduct("veenode") else { Issue.record("the veenode binary is not built"); return }
        let dir = TemporaryDirectory(prefix: "vfetch")
        Self.randomFile(dir.file("content.bin"), bytes: 48 << 20, seed: 7)
        let nodes = try Self.swarm(dir, count: 3, base: 10, veenode: veenode)
        defer { for n in nodes { n.stop(signal: SIGKILL) } }
        let a = try nodes[1].call("transfer.shareFile", ["path": dir.file("content.bin")], as: ModelSharing.ShareReport.self)
        let b = try nodes[2].call("transfer.shareFile", ["path": dir.file("content.bin")], as: ModelSharing.ShareReport.self)
        #expect(a.content == b.content)
        let fetcher = nodes[0]
        var status = try fetcher.call("transfer.fetch", ["cid": a.content], as: FetchStatus.self)
        // Once the transfer is under way, kill the provider that has delivered the most.
        var killed: FetchNode?
        let keys = [try nodes[1].publicKey(): nodes[1], try nodes[2].publicKey(): nodes[2]]
        let deadline = Date().addingTimeInterval(600)
        while status.state == .running, Date() < deadline {
            if killed == nil, status.bytesHeld > 0, status.bytesHeld < status.totalBytes / 2,
               let top = status.chunksFrom.max(by: { $0.value < $1.value })?.key {
                let victim = keys[top]!
                victim.stop(signal: SIGKILL)
                killed = victim
            }
            usleep(20_000)
            status = try fetcher.call("transfer.status", ["cid": a.content], as: FetchStatus.self)
        }
        #expect(killed != nil, "the fetch ended before a provider could be killed mid-transfer (\(status.chunksFrom))")
        #expect(status.state == .done, "\(status.error ?? "")")
        #expect(status.bytesHeld == 48 << 20)
        // The fetched node now provides it: a fourth fetch through the DHT would find it (its key is announced);
        // here: fetching again answers from what it holds.
        let again = try fetcher.call("transfer.fetch", ["cid": a.content], as: FetchStatus.self)
        #expect(again.state == .done)
    }

    @Test("a provider serving corrupted chunks is detected and dropped; the honest provider completes the fetch")
    func corruptProviderDropped() throws {
        guard let veenode = builtProduct("veenode") else { Issue.record("the veenode binary is not built"); return }
        let dir = TemporaryDirectory(prefix: "vfetch")
        Self.randomFile(dir.file("content.bin"), bytes: 8 << 20, seed: 8)
        let nodes = try Self.swarm(dir, count: 3, base: 20, veenode: veenode, extra: { $0 == 2 ? ["--misbehave-transfer", "corrupt"] : [] })
        defer { for n in nodes { n.stop(signal: SIGKILL) } }
        let shared = try nodes[1].call("transfer.shareFile", ["path": dir.file("content.bin")], as: ModelSharing.ShareReport.self)
        _ = try nodes[2].call("transfer.shareFile", ["path": dir.file("content.bin")], as: ModelSharing.ShareReport.self)
        let r = try nodes[0].command(["fetch", shared.content, "--json"], timeout: 300)
        #expect(r.status == 0, "\(r.stderr)")
        let status = try JSONDecoder().decode(FetchStatus.self, from: Data(r.stdout.utf8))
        #expect(status.state == .done)
        let liar = try nodes[2].publicKey(), honest = try nodes[1].publicKey()
        #expect(status.bannedPeers == [liar] || (status.corruptChunks == 0 && status.chunksFrom[liar] == nil),
                "banned \(status.bannedPeers), corrupt \(status.corruptChunks)")
        #expect(status.chunksFrom[liar] == nil)
        #expect(status.chunksFrom[honest] ?? 0 > 0)
    }

    @Test("a model shared by one node is fetched and run by another that never imported it, with the same greedy answer")
    func sharedModelRunsElsewhere() throws {
        guard let veenode = builtProduct("veenode") else { Issue.record("the veenode binary is not built"); return }
        guard let root = PyPIModels.repositoryRoot() else { return }
        let gguf = root + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: gguf) else { return }   // models not fetched: skip
        let dir = TemporaryDirectory(prefix: "vfetch")
        let nodes = try Self.swarm(dir, count: 3, base: 30, veenode: veenode, prepare: { i, n in
            guard i == 1 else { return }
            let r = try n.command(["model", "import", gguf, "--name", "smollm2", "--variants", "lite"])
            guard r.status == 0 else { throw NamespaceError(message: "import failed: \(r.stderr)") }
        })
        defer { for n in nodes { n.stop(signal: SIGKILL) } }
        let share = try nodes[1].command(["share", "model", "smollm2", "--json"])
        #expect(share.status == 0, "\(share.stderr)")
        // The announcement reaches the node that will ask.
        try waitUntil(seconds: 60) {
            try nodes[2].call("transfer.models", as: [ModelSharing.Heard].self).contains { $0.name == "smollm2" }
        }
        let question = ["ask", "What is the capital of France?", "--max-tokens", "12", "--profile", "lite", "--json"]
        let here = try nodes[1].command(question)
        let there = try nodes[2].command(question)
        #expect(here.status == 0 && there.status == 0, "\(here.stderr) \(there.stderr)")
        let a = try JSONDecoder().decode(AskControl.Reply.self, from: Data(here.stdout.utf8))
        let b = try JSONDecoder().decode(AskControl.Reply.self, from: Data(there.stdout.utf8))
        #expect(a.fetchedBlobs == 0)
        #expect(b.fetchedBlobs > 1, "the asking node fetched \(b.fetchedBlobs) blobs")
        #expect(a.modelCID == b.modelCID)
        #expect(!a.generatedTokenIDs.isEmpty && a.generatedTokenIDs == b.generatedTokenIDs)
        #expect(a.text == b.text)
        // It never imported the model: its only record of it came from the network.
        let listed = try nodes[2].call("transfer.models", as: [ModelSharing.Heard].self)
        #expect(listed.first { $0.name == "smollm2" }?.manifest == a.modelCID)
        // The model's signed head is in the DHT: a node that missed the announcement finds the newest
        // version by the publisher's key and the name.
        let report = try JSONDecoder().decode(ModelSharing.ShareReport.self, from: Data(share.stdout.utf8))
        #expect((report.headStoredOn ?? 0) >= 1, "head stored on \(String(describing: report.headStoredOn)) nodes")
        let head = try nodes[0].call("dht.head", ["key": try nodes[1].publicKey(), "name": "smollm2"], as: ModelHeadReply.self)
        #expect(head.manifest == a.modelCID && head.arch == "llama")
    }
}
