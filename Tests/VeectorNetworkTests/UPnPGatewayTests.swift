#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VeectorNet
import VeectorTestSupport
import VeectorWire

/// A real miniupnpd in network namespaces (scripts/netns-upnp.sh): LAN host ─ gateway (NAT, miniupnpd,
/// public-looking 100.128.0.1) ─ WAN host. Never touches the host's network.
final class UPnPLab: @unchecked Sendable {
    let prefix: String
    let rootURL: String
    var lan: String { prefix + "-lan" }
    var wan: String { prefix + "-wan" }
    var gateway: String { prefix + "-gw" }
    static let externalAddress = "100.128.0.1"
    static let lanAddress = "192.168.77.2"

    /// Sets the lab up, or returns why it cannot run here.
    static func make(_ name: String) -> Result<UPnPLab, NamespaceError> {
        if let reason = namespaceUnavailableReason() { return .failure(NamespaceError(message: reason)) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/miniupnpd") else {
            return .failure(NamespaceError(message: "miniupnpd is not installed (apt-get install miniupnpd miniupnpd-nftables)"))
        }
        let prefix = "v\(name)\(getpid() % 10000)"
        guard let r = try? run(repositoryRoot + "/scripts/netns-upnp.sh", ["up", prefix], timeout: 60), r.status == 0 else {
            return .failure(NamespaceError(message: "scripts/netns-upnp.sh up failed"))
        }
        return .success(UPnPLab(prefix: prefix, rootURL: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    private init(prefix: String, rootURL: String) {
        self.prefix = prefix
        self.rootURL = rootURL
    }

    /// `upnpc -l` as seen from the LAN: the gateway's mapping table.
    func listedMappings() throws -> String {
        let text = try run("/usr/sbin/ip", ["netns", "exec", lan, "upnpc", "-u", rootURL, "-l"], timeout: 30).stdout
        return text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "\n")
    }

    deinit { _ = try? run(repositoryRoot + "/scripts/netns-upnp.sh", ["down", prefix], timeout: 60) }
}

extension RealProcesses {
@Suite("UPnP against a real miniupnpd in network namespaces", .serialized, .timeLimit(.minutes(3)))
struct UPnPGatewayTests {
    @Test("discover the gateway by SSDP inside the LAN namespace, map a UDP port, a WAN packet arrives, unmap")
    func mapAndReach() throws {
        let lab: UPnPLab
        switch UPnPLab.make("u") {
        case let .success(l): lab = l
        case let .failure(why):
            print("skipped: \(why)")
            return
        }
        let port: UInt16 = 40123
        let gateway = try inNamespace(lab.lan) { try UPnPGateway.discover(delayMilliseconds: 2000) }
        #expect(gateway.lanAddress.description == UPnPLab.lanAddress)
        #expect(gateway.rootDescriptionURL == lab.rootURL)
        let external = try inNamespace(lab.lan) { try gateway.externalAddress() }
        #expect(external.description == UPnPLab.externalAddress)

        try inNamespace(lab.lan) {
            try gateway.add(PortMapping(transport: .udp, externalPort: port, internalPort: port, leaseSeconds: 120, description: "veenode-test"))
            try gateway.add(PortMapping(transport: .tcp, externalPort: port, internalPort: port, leaseSeconds: 120, description: "veenode-test"))
        }
        let listed = try lab.listedMappings()
        #expect(listed.contains("UDP \(port)->\(UPnPLab.lanAddress):\(port)"))
        #expect(listed.contains("TCP \(port)->\(UPnPLab.lanAddress):\(port)"))

        // A datagram from the WAN side to the public address reaches the LAN host through the mapping.
        let received: [UInt8]? = try inNamespace(lab.lan) {
            let socket = try TestUDPSocket(bindPort: port)
            try inNamespace(lab.wan) {
                let sender = try TestUDPSocket(bindPort: 0)
                sender.send(Array("hello through the NAT".utf8), to: UPnPLab.externalAddress, port: port)
            }
            return socket.receive()
        }
        #expect(received.map { String(decoding: $0, as: UTF8.self) } == "hello through the NAT")

        try inNamespace(lab.lan) {
            try gateway.remove(externalPort: port, transport: .udp)
            try gateway.remove(externalPort: port, transport: .tcp)
        }
        #expect(!(try lab.listedMappings()).contains("\(port)->"))

        // Without the mapping, the same datagram no longer gets through.
        let afterRemoval: [UInt8]? = try inNamespace(lab.lan) {
            let socket = try TestUDPSocket(bindPort: port, receiveTimeoutMilliseconds: 500)
            try inNamespace(lab.wan) {
                let sender = try TestUDPSocket(bindPort: 0)
                sender.send(Array("should be dropped".utf8), to: UPnPLab.externalAddress, port: port)
            }
            return socket.receive()
        }
        #expect(afterRemoval == nil)
    }

    @Test("reading a root description URL where no gateway answers is a typed error")
    func noGateway() throws {
        let lab: UPnPLab
        switch UPnPLab.make("n") {
        case let .success(l): lab = l
        case let .failure(why):
            print("skipped: \(why)")
            return
        }
        do {
            _ = try inNamespace(lab.wan) { try UPnPGateway.fromRootDescription(url: "http://100.128.0.2:5999/rootDesc.xml") }
            Issue.record("expected an error")
        } catch let error as NetError {
            #expect(error.description.contains("no Internet gateway description"))
        }
    }
}
}
