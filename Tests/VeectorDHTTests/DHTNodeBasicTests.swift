import Testing
import VeectorWire
@testable import VeectorDHT

@Suite("DHTNode: basics")
struct DHTNodeBasicTests {
    /// Two nodes: one pings the other by address; both end up in each other's routing table.
    @Test func twoNodesPing() throws {
        var net = DHTTestNetwork(seed: 1)
        let a = net.addNode(), b = net.addNode()
        let id = net.command(a, .ping(net.addresses[b]))
        try net.complete([(a, id)])
        #expect(net.result(a, id) == .pong(NodeContact(id: net.nodes[b].ownID, address: net.addresses[b])))
        #expect(net.nodes[a].routingTable.entry(for: net.nodes[b].ownID) != nil)
        #expect(net.nodes[b].routingTable.entry(for: net.nodes[a].ownID) != nil)
        #expect(net.nodes[a].stats.queriesOut.ping == 1)
        #expect(net.nodes[b].stats.queriesIn.ping == 1)
        #expect(net.nodes[b].stats.responsesOut == 1)
    }

    /// A ping to an address where nobody answers fails with `.timedOut` after the query timeout.
    @Test func pingToSilenceTimesOut() throws {
        var net = DHTTestNetwork(seed: 2)
        let a = net.addNode(), b = net.addNode()
        net.dead.insert(b)
        let id = net.command(a, .ping(net.addresses[b]))
        try net.complete([(a, id)])
        #expect(net.result(a, id) == .failed(.timedOut(net.addresses[b])))
        #expect(net.now >= .seconds(2))
        #expect(net.nodes[a].stats.timeouts == 1)
    }

    /// Lookups on an empty table fail with a typed error that says to bootstrap first.
    @Test func lookupWithoutNodesFails() throws {
        var net = DHTTestNetwork(seed: 3)
        let a = net.addNode()
        let id = net.command(a, .findNode(.zero))
        try net.complete([(a, id)])
        #expect(net.result(a, id) == .failed(.noKnownNodes))
        #expect(DHTError.noKnownNodes.description.contains("bootstrap"))
        let none = net.command(a, .bootstrap([]))
        try net.complete([(a, none)])
        #expect(net.result(a, none) == .failed(.noBootstrapAddresses))
    }

    /// Responders report our address (BEP 42 `ip`); two agreeing reports make it known.
    @Test func externalAddressFromResponders() throws {
        var net = DHTTestNetwork(seed: 4)
        let a = net.addNode(), b = net.addNode(), c = net.addNode()
        let first = net.command(a, .ping(net.addresses[b]))
        try net.complete([(a, first)])
        #expect(net.nodes[a].externalAddress == nil)
        let second = net.command(a, .ping(net.addresses[c]))
        try net.complete([(a, second)])
        #expect(net.nodes[a].externalAddress == net.addresses[a])
        var votes = ExternalAddressVotes(capacity: 3)
        let x = PeerAddress(ip: IPv4Address(1, 2, 3, 4), port: 5), y = PeerAddress(ip: IPv4Address(1, 2, 3, 4), port: 6)
        votes.record(x, from: IPv4Address(9, 0, 0, 1))
        votes.record(x, from: IPv4Address(9, 0, 0, 1))   // one reporter, one vote
        #expect(votes.consensus() == nil)
        votes.record(y, from: IPv4Address(9, 0, 0, 2))
        votes.record(y, from: IPv4Address(9, 0, 0, 3))
        votes.record(y, from: IPv4Address(9, 0, 0, 4))   // capacity 3: the x report is gone
        #expect(votes.count == 3 && votes.consensus() == y)
    }
}
