import Testing
import VeectorCrypto
import VeectorDHT
import VeectorNet
import VeectorNode
import VeectorWire

/// The node-ID policy (which external address to believe, which ID follows) and the switch itself,
/// on real `DHTNode` cores exchanging real encoded KRPC datagrams (no sockets): a node at a public
/// address starts with its key-hash ID, which BEP 42-enforcing peers refuse; their replies tell it its
/// address; it switches to the key-derived BEP 42 ID, bootstraps again, and the peers keep it.
@Suite("Node ID from the device key, switched for BEP 42")
struct NodeIDSwitchTests {
    /// Spec/identity.md's device seed (bytes 0x20…0x3f): public key 29acbae1….
    static func deviceKey() throws -> SigningKeyPair { try SigningKeyPair(seed: (0x20...0x3F).map { UInt8($0) }) }

    static func report(_ reporter: String, _ said: String, port: UInt16 = 6881) -> (reporter: IPv4Address, said: PeerAddress) {
        (IPv4Address(reporter)!, PeerAddress(ip: IPv4Address(said)!, port: port))
    }

    @Test("the DHT's reports count only with ≥ 3 distinct reporters and a strict majority; ports are ignored")
    func majority() {
        let policy = NodeIDPolicy()
        let x = IPv4Address(124, 31, 75, 21)
        #expect(policy.externalIP(fromReports: []) == nil)
        // Two agree: not enough reporters.
        #expect(policy.externalIP(fromReports: [Self.report("1.1.1.1", "124.31.75.21"), Self.report("2.2.2.2", "124.31.75.21")]) == nil)
        // Three agree (a NAT gave each another port), two name something else: a majority.
        let mixed = [Self.report("1.1.1.1", "124.31.75.21", port: 1000), Self.report("2.2.2.2", "124.31.75.21", port: 2000),
                     Self.report("3.3.3.3", "5.6.7.8"), Self.report("4.4.4.4", "124.31.75.21", port: 3000),
                     Self.report("5.5.5.5", "9.9.9.9")]
        #expect(policy.externalIP(fromReports: mixed) == x)
        // Three against three: no majority.
        let split = [Self.report("1.1.1.1", "124.31.75.21"), Self.report("2.2.2.2", "124.31.75.21"), Self.report("3.3.3.3", "124.31.75.21"),
                     Self.report("4.4.4.4", "5.6.7.8"), Self.report("5.5.5.5", "5.6.7.8"), Self.report("6.6.6.6", "5.6.7.8")]
        #expect(policy.externalIP(fromReports: split) == nil)
    }

    @Test("which ID: DHT majority first, then a public UPnP address; local addresses keep the key hash")
    func decisions() throws {
        let key = try Self.deviceKey()
        let pk = key.publicKey
        let plain = NodeID.derived(fromPublicKey: pk, externalAddress: nil)
        #expect(plain.description == "1c2ad0de9432804d0efc3e417835fbb792113a9b")
        let policy = NodeIDPolicy()
        let three = ["1.1.1.1", "2.2.2.2", "3.3.3.3"].map { Self.report($0, "124.31.75.21") }

        // Nothing known: keep.
        #expect(policy.decide(publicKey: pk, current: plain, reports: [], upnpExternal: nil) == .keep)
        // A majority of responders: the key-derived BEP 42 ID for it (vector from Spec/identity.md).
        let wanted = try #require(NodeID(hex: "f419e0de9432804d0efc3e417835fbb792113a9b"))
        #expect(policy.decide(publicKey: pk, current: plain, reports: three, upnpExternal: IPv4Address(100, 128, 0, 1))
                == .switchTo(wanted, externalAddress: IPv4Address(124, 31, 75, 21), source: .dhtReplies))
        // Already right: keep.
        #expect(policy.decide(publicKey: pk, current: wanted, reports: three, upnpExternal: nil) == .keep)
        // No DHT majority yet: a public UPnP address decides.
        let viaUPnP = try #require(NodeID(hex: "c68f80de9432804d0efc3e417835fbb792113a9b"))
        #expect(policy.decide(publicKey: pk, current: plain, reports: Array(three.prefix(2)), upnpExternal: IPv4Address(100, 128, 0, 1))
                == .switchTo(viaUPnP, externalAddress: IPv4Address(100, 128, 0, 1), source: .upnp))
        // Private UPnP address (a second NAT) or 0.0.0.0: ignored.
        #expect(policy.decide(publicKey: pk, current: plain, reports: [], upnpExternal: IPv4Address(192, 168, 0, 1)) == .keep)
        #expect(policy.decide(publicKey: pk, current: plain, reports: [], upnpExternal: IPv4Address(0)) == .keep)
        // Loopback responders (the swarm on 127.0.0.x): BEP 42 exempts them, the key hash stays.
        let loopback = ["127.0.0.2", "127.0.0.3", "127.0.0.4"].map { Self.report($0, "127.0.0.1") }
        #expect(policy.decide(publicKey: pk, current: plain, reports: loopback, upnpExternal: nil) == .keep)
        // A node that moved from a public address onto a LAN goes back to the key hash.
        #expect(policy.decide(publicKey: pk, current: wanted, reports: loopback, upnpExternal: nil)
                == .switchTo(plain, externalAddress: IPv4Address(127, 0, 0, 1), source: .dhtReplies))
    }

    @Test("a node at a public address learns it from replies, switches to a valid key-derived ID, and peers keep it")
    func switchOnRealCores() throws {
        let key = try Self.deviceKey()
        var rng = SeededGenerator(seed: 42)
        var net = CoreNetwork()
        let me = PeerAddress(ip: IPv4Address(124, 31, 75, 21), port: 6881)
        let peers = (1...5).map { PeerAddress(ip: IPv4Address(100, 129, 0, UInt8($0)), port: 6881) }
        for p in peers {
            let id = NodeID.randomBEP42(for: p.ip, using: &rng)
            net.nodes[p] = DHTNode(ownID: id, now: net.now, rng: &rng)
        }
        let plain = NodeID.derived(fromPublicKey: key.publicKey, externalAddress: nil)
        net.nodes[me] = DHTNode(ownID: plain, now: net.now, rng: &rng)

        // Join under the key-hash ID: the peers answer, but their BEP 42 check refuses to keep us.
        let first = net.command(.bootstrap(peers), at: me, rng: &rng)
        guard case let .bootstrapped(report)? = first else { Issue.record("bootstrap gave \(String(describing: first))"); return }
        #expect(report.answered == peers.count)
        for p in peers { #expect(net.nodes[p]!.routingTable.entry(for: plain) == nil) }
        #expect(net.nodes[me]!.routingTable.count == peers.count)

        // Their replies' `ip` fields say where we are; the policy derives the BEP 42 ID from the key.
        let reports = net.nodes[me]!.addressVotes.reports
        #expect(Set(reports.map { $0.reporter }) == Set(peers.map(\.ip)))
        let decision = NodeIDPolicy().decide(publicKey: key.publicKey, current: plain, reports: reports, upnpExternal: nil)
        guard case let .switchTo(newID, ip, source) = decision else { Issue.record("no switch: \(decision)"); return }
        #expect(ip == me.ip && source == .dhtReplies)
        #expect(newID.description == "f419e0de9432804d0efc3e417835fbb792113a9b")
        #expect(newID.isBEP42Valid(for: me.ip) && newID.isDerived(fromPublicKey: key.publicKey, externalAddress: me.ip))

        // Switch: the routing table comes along, rebuilt around the new ID; then bootstrap again.
        let switched = try net.nodes[me]!.switchingID(to: newID, now: net.now, rng: &rng)
        #expect(switched.ownID == newID)
        #expect(Set(switched.routingTable.allEntries.map(\.contact.address)) == Set(peers))
        net.nodes[me] = switched
        let again = net.command(.bootstrap(peers), at: me, rng: &rng)
        guard case .bootstrapped? = again else { Issue.record("second bootstrap gave \(String(describing: again))"); return }
        for p in peers { #expect(net.nodes[p]!.routingTable.entry(for: newID)?.contact.address == me) }

        // And a peer's lookup for the new ID ends at us.
        let found = net.command(.findNode(newID), at: peers[0], rng: &rng)
        guard case let .nodes(result)? = found else { Issue.record("findNode gave \(String(describing: found))"); return }
        #expect(result.closest.first?.contact == NodeContact(id: newID, address: me))
    }
}

/// A few `DHTNode`s passing their datagrams to one another in order, with the clock moving 1 ms per
/// delivery; timers are not run (every node here answers, so no query times out).
struct CoreNetwork {
    var nodes: [PeerAddress: DHTNode] = [:]
    var now = Instant.seconds(1000)
    private var nextCommand: UInt64 = 1

    /// Runs `command` on the node at `address` and delivers datagrams until it completes.
    mutating func command(_ command: DHTCommand, at address: PeerAddress, rng: inout SeededGenerator) -> DHTResult? {
        let id = DHTCommandID(nextCommand)
        nextCommand += 1
        var queue: [(from: PeerAddress, actions: [DHTAction])] = [(address, nodes[address]!.handle(.command(id, command), now: now, rng: &rng))]
        var delivered = 0
        while !queue.isEmpty, delivered < 100_000 {
            let (from, actions) = queue.removeFirst()
            for action in actions {
                switch action {
                case let .send(to, bytes):
                    guard nodes[to] != nil else { continue }
                    now = now.advanced(by: .milliseconds(1))
                    delivered += 1
                    queue.append((to, nodes[to]!.handle(.datagram(from: from, bytes: bytes), now: now, rng: &rng)))
                case let .complete(done, result) where done == id && from == address:
                    return result
                default:
                    continue
                }
            }
        }
        return nil
    }
}
