import Testing
import VeectorWire
@testable import VeectorDHT

@Suite("RoutingTable: one node per address")
struct RoutingTableAddressTests {
    static let address = PeerAddress(ip: IPv4Address(10, 0, 0, 9), port: 6881)

    /// A second ID at a live node's endpoint is refused; once the first goes bad, it takes over.
    @Test func secondIDAtALiveAddressIsRefusedUntilTheFirstGoesBad() throws {
        var rng = SeededRNG(seed: 31)
        var table = RoutingTable(ownID: NodeID.random(using: &rng))
        let first = NodeContact(id: NodeID.random(using: &rng), address: Self.address)
        let second = NodeContact(id: NodeID.random(using: &rng), address: Self.address)
        try table.insert(first, now: .zero)
        #expect(throws: RoutingTableError.addressInUse(known: first, claimedBy: second.id)) { try table.insert(second, now: .seconds(1)) }
        #expect(table.entry(for: second.id) == nil)
        table.recordFailure(of: first.id, now: .seconds(2))
        table.recordFailure(of: first.id, now: .seconds(3))
        #expect(table.state(of: first.id, now: .seconds(3)) == .bad)
        #expect(try table.insert(second, now: .seconds(4)) == .added)
        #expect(table.entry(for: first.id) == nil)
        #expect(table.count == 1)
        // Turned off, both may sit at one address (as in a NATed test network).
        var open = RoutingTable(ownID: table.ownID, configuration: RoutingTableConfiguration(oneNodePerAddress: false))
        try open.insert(first, now: .zero)
        try open.insert(second, now: .zero)
        #expect(open.count == 2)
    }
}
