#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VeectorNet
import VeectorNode
import VeectorTestSupport

/// Runs `body` for every element on NIO-free OS threads, `width` at a time (the control client blocks).
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], width: Int = 8, _ body: @escaping @Sendable (T) -> R) -> [R] {
    let results = ParallelResults<R>(items.count)
    let queue = DispatchQueue(label: "parallel", attributes: .concurrent)
    let gate = DispatchSemaphore(value: width)
    let group = DispatchGroup()
    let lock = NSLock()
    for (i, item) in items.enumerated() {
        gate.wait()
        queue.async(group: group) {
            let r = body(item)
            lock.withLock { results.values[i] = r }
            gate.signal()
        }
    }
    group.wait()
    return results.values.map { $0! }
}

/// Results filled in from several threads.
final class ParallelResults<R>: @unchecked Sendable {
    var values: [R?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
}

extension RealProcesses {
@Suite("A swarm of real veenode processes on loopback", .serialized, .timeLimit(.minutes(10)))
struct SwarmTests {
    static let nodeCount = Int(ProcessInfo.processInfo.environment["VEECTOR_SWARM_NODES"] ?? "") ?? 20

    @Test("≥ 20 nodes on 127.0.0.x join through one; every node finds every other's endpoint record; a killed node is routed around")
    func swarm() throws {
        guard let veenode = builtProduct("veenode") else {
            Issue.record("the veenode binary is not built (swift build --build-tests builds it)")
            return
        }
        let dir = TemporaryDirectory(prefix: "vswarm")
        let port = 17_000 + UInt16(getpid() % 2000)
        var nodes: [NodeProcess] = []
        defer { for n in nodes { n.stop(signal: SIGKILL) } }
        nodes.append(try NodeProcess(veenode: veenode, home: dir.file("n0"),
                                     arguments: ["--host", "127.0.0.1", "--port", "\(port)", "--no-upnp"]))
        for i in 1..<Self.nodeCount {
            nodes.append(try NodeProcess(veenode: veenode, home: dir.file("n\(i)"),
                                         arguments: ["--host", "127.0.0.\(i + 1)", "--port", "\(port)", "--no-upnp",
                                                     "--bootstrap", "127.0.0.1:\(port)"]))
        }
        let statuses = try nodes.map { try $0.status() }
        let swarm = nodes
        #expect(Set(statuses.map(\.nodeID)).count == nodes.count)
        for (i, s) in statuses.enumerated() { #expect(s.listen == "127.0.0.\(i + 1):\(port)") }

        // Wait until every node has published its record (joined, then put to the k closest) and the
        // routing tables have settled: each node republishes when its table doubles, so wait for the
        // last node's table to be as large as the first's would let it grow (no republish pending).
        try waitUntil(seconds: 90) { try nodes.allSatisfy { try $0.status().endpointPublications > 0 } }
        var previous = -1
        try waitUntil(seconds: 60) {
            let total = try nodes.map { try $0.status().endpointPublications }.reduce(0, +)
            defer { previous = total }
            usleep(3_500_000)   // one republish check period of the node's DHT service
            return total == previous
        }

        // Every node looks up every other node's endpoint record by public key.
        let pairs = (0..<nodes.count).flatMap { i in (0..<nodes.count).filter { $0 != i }.map { (i, $0) } }
        let failures = parallelMap(pairs) { (i, j) -> String? in
            do {
                let r = try swarm[i].call("dht.endpoint", ["key": statuses[j].publicKey], as: EndpointReply.self)
                return r.nodeID == statuses[j].nodeID && r.addresses.contains(statuses[j].listen) ? nil
                    : "node \(i) found \(r) for node \(j)"
            } catch { return "node \(i) → node \(j): \(error)" }
        }.compactMap { $0 }
        #expect(failures.isEmpty, "\(failures.count) of \(pairs.count) lookups failed: \(failures.prefix(5))")

        // Kill one node without warning: the others route around it.
        let victim = nodes.count / 2
        nodes[victim].stop(signal: SIGKILL)
        let survivors = (0..<nodes.count).filter { $0 != victim }
        let afterKill = parallelMap(survivors) { i -> String? in
            let j = survivors[(survivors.firstIndex(of: i)! + 3) % survivors.count]
            do {
                let r = try swarm[i].call("dht.endpoint", ["key": statuses[j].publicKey], as: EndpointReply.self)
                return r.addresses.contains(statuses[j].listen) ? nil : "node \(i) found \(r.addresses) for node \(j)"
            } catch { return "node \(i) → node \(j): \(error)" }
        }.compactMap { $0 }
        #expect(afterKill.isEmpty, "after killing node \(victim): \(afterKill.prefix(5))")
        // The dead node's record is still stored on its neighbours.
        let ghost = try nodes[0].call("dht.endpoint", ["key": statuses[victim].publicKey], as: EndpointReply.self)
        #expect(ghost.nodeID == statuses[victim].nodeID)

        // Graceful shutdown: SIGTERM → exit 0, socket removed, snapshot saved.
        let last = nodes[nodes.count - 1]
        #expect(last.stop(signal: SIGTERM) == 0)
        #expect(access(last.controlSocket, F_OK) != 0)
        #expect(access(last.home + "/dht.snapshot", F_OK) == 0)
    }
}
}

/// Polls `condition` every 200 ms for up to `seconds`; throws when it never holds.
func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return }
        usleep(200_000)
    }
    if try condition() { return }
    throw NamespaceError(message: "condition not met within \(seconds) s")
}
