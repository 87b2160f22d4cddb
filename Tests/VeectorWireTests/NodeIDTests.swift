import Testing
import VeectorWire

@Suite("Node IDs, addresses and BEP 42")
struct NodeIDTests {
    func id(_ hex: String) -> NodeID { NodeID([UInt8](hex: hex))! }

    @Test func xorDistanceAndOrdering() {
        let a = id("ff00000000000000000000000000000000000001")
        let b = id("0f00000000000000000000000000000000000003")
        #expect(a.distance(to: b) == id("f000000000000000000000000000000000000002"))
        #expect(a.distance(to: a) == .zero)
        #expect(a.distance(to: b) == b.distance(to: a))
        let target = id("0000000000000000000000000000000000000000")
        #expect(b.isCloser(to: target, than: a))
        #expect(!a.isCloser(to: target, than: b))
        #expect(!a.isCloser(to: target, than: a))
        let sorted = [a, b, .zero].sorted { $0.isCloser(to: target, than: $1) }
        #expect(sorted == [.zero, b, a])
        #expect(NodeID([1, 2, 3]) == nil)
        #expect(a.description == "ff00000000000000000000000000000000000001")
    }

    @Test func bucketIndexIsCommonPrefixLength() {
        let own = id("8000000000000000000000000000000000000000")
        #expect(own.bucketIndex(of: own) == nil)
        #expect(own.bucketIndex(of: .zero) == 0)
        #expect(own.bucketIndex(of: id("c000000000000000000000000000000000000000")) == 1)
        #expect(own.bucketIndex(of: id("8000000000000000000000000000000000000001")) == 159)
        #expect(own.commonPrefixLength(with: own) == 160)
    }

    @Test func randomIDInBucketLandsInThatBucket() {
        var rng = SplitMix64(seed: 1)
        let own = NodeID.random(using: &rng)
        for index in [0, 1, 7, 8, 9, 63, 100, 158, 159] {
            for _ in 0..<20 {
                #expect(own.bucketIndex(of: own.randomID(inBucket: index, using: &rng)) == index)
            }
        }
        var again = SplitMix64(seed: 1)
        #expect(NodeID.random(using: &again) == own)
    }

    @Test func addressesAndCompactForms() {
        #expect(IPv4Address("124.31.75.21")?.value == 0x7C1F_4B15)
        #expect(IPv4Address("256.1.1.1") == nil)
        #expect(IPv4Address("1.2.3") == nil)
        #expect(IPv4Address("1..2.3") == nil)
        #expect(IPv4Address(10, 0, 0, 1).isLocal && IPv4Address(172, 31, 0, 1).isLocal && IPv4Address(192, 168, 1, 1).isLocal)
        #expect(IPv4Address(169, 254, 0, 1).isLocal && IPv4Address(127, 0, 0, 1).isLocal)
        #expect(!IPv4Address(172, 32, 0, 1).isLocal && !IPv4Address(8, 8, 8, 8).isLocal)
        let peer = PeerAddress(ip: IPv4Address(1, 2, 3, 4), port: 6881)
        #expect(peer.compact == [1, 2, 3, 4, 0x1A, 0xE1])
        #expect(PeerAddress(compact: peer.compact) == peer)
        #expect(PeerAddress(compact: [1, 2, 3]) == nil)
        #expect(peer.description == "1.2.3.4:6881")
        let contact = NodeContact(id: id("0102030405060708090a0b0c0d0e0f1011121314"), address: peer)
        #expect(contact.compact.count == 26)
        #expect(NodeContact.decodeList(NodeContact.encodeList([contact, contact])) == [contact, contact])
        #expect(NodeContact.decodeList([UInt8](repeating: 0, count: 27)) == nil)
        #expect(NodeContact.decodeList([]) == [])
    }

    /// BEP 42's table: IP, rand, and an example node ID whose first 21 bits the rule fixes.
    /// Source: https://www.bittorrent.org/beps/bep_0042.html ("Test vectors").
    static let bep42Table: [(String, UInt8, String)] = [
        ("124.31.75.21", 1, "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"),
        ("21.75.31.124", 86, "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"),
        ("65.23.51.170", 22, "a5d43220bc8f112a3d426c84764f8c2a1150e616"),
        ("84.124.73.14", 65, "1b0321dd1bb1fe518101ceef99462b947a01ff41"),
        ("43.213.53.83", 90, "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"),
    ]

    @Test(arguments: bep42Table)
    func bep42Vectors(ip: String, rand: UInt8, example: String) {
        let address = IPv4Address(ip)!
        let published = id(example)
        #expect(published.isBEP42Valid(for: address))
        // Building an ID from the published one's other bits reproduces it exactly.
        let built = NodeID.bep42(for: address, rand: rand, rest: published.bytes)
        #expect(built == published)
        // Flipping any of the first 21 bits breaks it; a different address rejects it.
        var flipped = published.bytes
        flipped[2] ^= 0x08
        #expect(!NodeID([UInt8](flipped))!.isBEP42Valid(for: address))
        #expect(!published.isBEP42Valid(for: IPv4Address(8, 8, 8, 8)))
    }

    @Test func bep42CRCPrefixes() {
        // Values of crc32c((ip & 0x030f3fff) | (r << 29)) for the table above.
        #expect(NodeID.bep42Prefix(for: IPv4Address("124.31.75.21")!, rand: 1) == 0x5FBF_BDB2)
        #expect(NodeID.bep42Prefix(for: IPv4Address("21.75.31.124")!, rand: 86) == 0x5A3C_E9B0)
        #expect(NodeID.bep42Prefix(for: IPv4Address("43.213.53.83")!, rand: 90) == 0xE56F_6972)
    }

    @Test func randomBEP42IDsAreValid() {
        var rng = SplitMix64(seed: 9)
        let ip = IPv4Address(100, 128, 0, 1)
        for _ in 0..<50 { #expect(NodeID.randomBEP42(for: ip, using: &rng).isBEP42Valid(for: ip)) }
        // Local addresses are exempt.
        #expect(NodeID.zero.isBEP42Valid(for: IPv4Address(127, 0, 0, 1)))
    }

    /// Veector's derivation (Spec/wire.md): SHA-1("veector-node-id-v1" || pk), first 21 bits
    /// replaced by BEP 42's prefix. Expected values computed independently with Python's hashlib
    /// and a bitwise CRC-32C.
    @Test func veectorDerivationVector() {
        let pk = [UInt8](hex: "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548")
        let ip = IPv4Address("124.31.75.21")!
        #expect(NodeID.derived(fromPublicKey: pk, externalAddress: nil).description == "c12a53471ddf343f39e3bacf297ec99324b4b572")
        #expect(NodeID.derived(fromPublicKey: pk, externalAddress: IPv4Address(192, 168, 1, 2)).description == "c12a53471ddf343f39e3bacf297ec99324b4b572")
        let derived = NodeID.derived(fromPublicKey: pk, externalAddress: ip)
        #expect(derived.description == "233cf3471ddf343f39e3bacf297ec99324b4b572")
        #expect(derived.isBEP42Valid(for: ip))
        #expect(derived.isDerived(fromPublicKey: pk, externalAddress: ip))
        #expect(!derived.isDerived(fromPublicKey: pk, externalAddress: IPv4Address(8, 8, 8, 8)))
        var other = pk
        other[0] ^= 1
        #expect(!derived.isDerived(fromPublicKey: other, externalAddress: ip))
    }
}
