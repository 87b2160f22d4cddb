#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VeectorNet
import VeectorNode
import VeectorTestSupport
import VeectorWire

extension RealProcesses {
@Suite("veenode start behind a real miniupnpd gateway", .serialized, .timeLimit(.minutes(3)))
struct NodeUPnPTests {
    @Test("the node maps UDP and TCP by SSDP discovery, a KRPC ping from the WAN is answered through the NAT, and SIGTERM unmaps")
    func mapsAndUnmaps() throws {
        guard let veenode = builtProduct("veenode") else {
            Issue.record("the veenode binary is not built (swift build --build-tests builds it)")
            return
        }
        let lab: UPnPLab
        switch UPnPLab.make("s") {
        case let .success(l): lab = l
        case let .failure(why):
            print("skipped: \(why)")
            return
        }
        let dir = TemporaryDirectory(prefix: "vupnp")
        let port: UInt16 = 40_555
        let node = try NodeProcess(veenode: veenode, home: dir.file("node"),
                                   arguments: ["--port", "\(port)", "--upnp-lease", "600", "--log-level", "info"],
                                   prefix: ["/usr/sbin/ip", "netns", "exec", lab.lan])
        try waitUntil(seconds: 30) { try node.status().upnp?.state != "searching" }
        let status = try node.status()
        let upnp = try #require(status.upnp)
        #expect(upnp.state == "mapped", "\(upnp)")
        #expect(upnp.externalAddress == UPnPLab.externalAddress)
        #expect(Set(upnp.mappings.map(\.transport)) == [.udp, .tcp])
        #expect(upnp.mappings.allSatisfy { $0.externalPort == port && $0.internalPort == port && $0.leaseSeconds == 600 })
        let listed = try lab.listedMappings()
        #expect(listed.contains("UDP \(port)->\(UPnPLab.lanAddress):\(port) 'veenode'"))
        #expect(listed.contains("TCP \(port)->\(UPnPLab.lanAddress):\(port) 'veenode'"))

        // A DHT ping from the WAN side to the gateway's public address reaches the node and is answered.
        let reply: [UInt8]? = try inNamespace(lab.wan) {
            let socket = try TestUDPSocket(bindPort: 0)
            let ping = KRPCMessage(transactionID: [0x70, 0x71], body: .query(.ping(id: NodeID(Array(repeating: 0x42, count: 20))!)))
            socket.send(ping.encoded(), to: UPnPLab.externalAddress, port: port)
            return socket.receive()
        }
        let message = try KRPCMessage(decoding: try #require(reply))
        #expect(message.transactionID == [0x70, 0x71])
        guard case let .response(r) = message.body else { Issue.record("expected a reply, got \(message.body)"); return }
        #expect(r.id.bytes == [UInt8](hex: status.nodeID))
        #expect(try node.status().traffic.packetsIn >= 1)

        // Graceful shutdown removes both mappings from the gateway.
        #expect(node.stop(signal: SIGTERM) == 0)
        #expect(!(try lab.listedMappings()).contains("\(port)->"))
        #expect(node.errors.finish().contains("UPnP mappings removed"))
    }

    @Test("without a gateway the node reports UPnP unavailable and runs on; --no-upnp leaves UPnP off")
    func noGateway() throws {
        guard let veenode = builtProduct("veenode") else {
            Issue.record("the veenode binary is not built")
            return
        }
        let lab: UPnPLab
        switch UPnPLab.make("w") {
        case let .success(l): lab = l
        case let .failure(why):
            print("skipped: \(why)")
            return
        }
        let dir = TemporaryDirectory(prefix: "vupnp")
        // The WAN namespace has no UPnP gateway: SSDP discovery finds nothing.
        let lonely = try NodeProcess(veenode: veenode, home: dir.file("wan"), arguments: ["--port", "40556"],
                                     prefix: ["/usr/sbin/ip", "netns", "exec", lab.wan])
        try waitUntil(seconds: 30) { try lonely.status().upnp?.state != "searching" }
        let s = try lonely.status()
        #expect(s.upnp?.state == "unavailable")
        #expect(s.upnp?.lastError?.contains("discovery") == true)
        #expect(s.listen == "0.0.0.0:40556")
        #expect(lonely.stop(signal: SIGTERM) == 0)

        let off = try NodeProcess(veenode: veenode, home: dir.file("lan"), arguments: ["--port", "40557", "--no-upnp"],
                                  prefix: ["/usr/sbin/ip", "netns", "exec", lab.lan])
        #expect(try off.status().upnp == nil)
        #expect(!(try lab.listedMappings()).contains("40557->"))
        #expect(off.stop(signal: SIGINT) == 0)
    }
}
}
