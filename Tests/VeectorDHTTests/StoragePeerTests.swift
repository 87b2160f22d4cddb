import Testing
import VeectorDHT
import VeectorWire

@Suite("Storage: announced peers")
struct StoragePeerTests {
    static func infoHash(_ b: UInt8) -> NodeID { NodeID([UInt8](repeating: b, count: 20))! }
    static func peer(_ n: Int) -> PeerAddress { PeerAddress(ip: IPv4Address(UInt32(0x0A00_0000 + n)), port: UInt16(6000 + n % 1000)) }

    @Test func announcedPeersAreListedUntilTheyExpire() {
        var rng = SeededRNG(seed: 1)
        var store = PeerStore()
        let h = Self.infoHash(1)
        store.announce(Self.peer(1), for: h, now: .seconds(0))
        store.announce(Self.peer(2), for: h, now: .seconds(600))
        #expect(Set(store.peers(for: h, now: .seconds(1000), rng: &rng)) == [Self.peer(1), Self.peer(2)])
        #expect(store.peers(for: Self.infoHash(2), now: .seconds(1000), rng: &rng).isEmpty)
        // 30 minutes after its announce, peer 1 is gone; peer 2 stays until 2400 s.
        #expect(store.peers(for: h, now: .seconds(1800), rng: &rng) == [Self.peer(2)])
        #expect(store.peers(for: h, now: .seconds(2400), rng: &rng).isEmpty)
        // A re-announce renews.
        store.announce(Self.peer(1), for: h, now: .seconds(1700))
        #expect(store.count == 2)
        #expect(store.peers(for: h, now: .seconds(3000), rng: &rng) == [Self.peer(1)])
        store.removeExpired(now: .seconds(3000))
        #expect(store.count == 1)
        store.removeExpired(now: .seconds(3500))
        #expect(store.count == 0 && store.infoHashCount == 0)
    }

    @Test func perInfoHashBoundEvictsTheOldest() {
        var rng = SeededRNG(seed: 2)
        var store = PeerStore(configuration: PeerStoreConfiguration(maxPeersPerInfoHash: 100))
        let h = Self.infoHash(1)
        for n in 0..<150 { store.announce(Self.peer(n), for: h, now: .seconds(UInt64(n))) }
        #expect(store.count == 100)
        let all = Set(store.peers(for: h, now: .seconds(200), rng: &rng))
        #expect(all.count == 50)
        var seen = Set<PeerAddress>()
        for _ in 0..<40 { seen.formUnion(store.peers(for: h, now: .seconds(200), rng: &rng)) }
        #expect(seen == Set((50..<150).map(Self.peer)))
    }

    @Test func totalBoundEvictsTheOldestAnywhere() {
        var rng = SeededRNG(seed: 3)
        var store = PeerStore(configuration: PeerStoreConfiguration(maxPeersPerInfoHash: 10, maxPeers: 25))
        for n in 0..<30 { store.announce(Self.peer(n), for: Self.infoHash(UInt8(n % 3)), now: .seconds(UInt64(n))) }
        #expect(store.count == 25)
        var kept = Set<PeerAddress>()
        for b in 0..<3 { kept.formUnion(store.peers(for: Self.infoHash(UInt8(b)), now: .seconds(30), rng: &rng)) }
        #expect(kept == Set((5..<30).map(Self.peer)))
    }

    @Test func repliesAreCappedAndShuffled() {
        var rng = SeededRNG(seed: 4)
        var store = PeerStore()
        let h = Self.infoHash(7)
        for n in 0..<80 { store.announce(Self.peer(n), for: h, now: .seconds(UInt64(n))) }
        let first = store.peers(for: h, now: .seconds(100), rng: &rng)
        let second = store.peers(for: h, now: .seconds(100), rng: &rng)
        #expect(first.count == 50 && second.count == 50)
        #expect(first != second)
        #expect(Set(first).count == 50)
        #expect(first != (0..<50).map(Self.peer))
    }
}
