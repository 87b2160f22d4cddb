#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOPosix
import Testing
import VeectorDHT
import VeectorNet
import VeectorNode
import VeectorWire

/// `DHTRunner.switchID` on real UDP sockets: the core is replaced on the driver's loop, the routing
/// table comes along, a command that was running in the old core fails with a message to retry instead
/// of waiting forever, and the node keeps working under its new ID.
@Suite("DHTRunner: switching the node ID on a running UDP node", .timeLimit(.minutes(2)))
struct DHTRunnerSwitchTests {
    @Test("switch mid-command: routing table kept, pending command fails with 'retry', the node keeps working")
    func switchWhileBusy() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let logger = Logger(label: "test")
        var rng = SeededGenerator()
        let a = try await DHTRunner.start(ownID: NodeID.random(using: &rng), configuration: DHTConfiguration(), snapshot: nil,
                                          host: "127.0.0.1", port: 0, group: group, logger: logger)
        // B's queries time out after 60 s, not 2 s, so the ping to the silent socket is surely still in
        // flight when the ID switches, however loaded the machine (under CI load 2 s was not enough).
        var slow = DHTConfiguration()
        slow.queryTimeout = .seconds(60)
        let b = try await DHTRunner.start(ownID: NodeID.random(using: &rng), configuration: slow, snapshot: nil,
                                          host: "127.0.0.1", port: 0, group: group, logger: logger)
        // A UDP socket that never answers: a ping to it stays in flight until B's query timeout.
        let silent = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(silent) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, length) == 0 && getsockname(silent, $0, &length) == 0 }
        }
        try #require(bound)
        let silentAddress = PeerAddress(ip: IPv4Address(127, 0, 0, 1), port: UInt16(bigEndian: sin.sin_port))

        guard case let .bootstrapped(report) = try await b.perform(.bootstrap([a.driver.localAddress])) else {
            Issue.record("bootstrap failed"); return
        }
        #expect(report.answered == 1)
        let before = try await b.stats().routingTableSize
        #expect(before == 1)

        let busy = Task { try await b.perform(.ping(silentAddress)) }
        // Wait until the ping is out (deterministic: the core counts the pings it sent).
        while try await b.stats().queriesOut.ping == 0 { try await Task.sleep(for: .milliseconds(5)) }

        let newID = NodeID.random(using: &rng)
        let carried = try await b.switchID(to: newID)
        #expect(carried == before)
        #expect(try await b.identityState().id == newID)
        do {
            let r = try await busy.value
            Issue.record("the pending ping should have failed, got \(r)")
        } catch let error as NetError {
            #expect(error.description.contains("retry"), "\(error)")
        }

        // The switched node works: its ping under the new ID is answered. (A keeps B's old ID for that
        // endpoint until it fails twice — one node per endpoint — so it does not list the new one yet.)
        guard case let .pong(contact) = try await b.perform(.ping(a.driver.localAddress)) else { Issue.record("no pong"); return }
        #expect(contact.address == a.driver.localAddress)
        #expect(try await b.routingEntries().map(\.contact.address) == [a.driver.localAddress])
        await a.close()
        await b.close()
    }
}
