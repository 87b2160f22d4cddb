import Testing
import VeectorWire

/// Vectors for the key-derived node ID (Spec/identity.md, "Node ID of a device"; Spec/wire.md): computed
/// independently with Python's hashlib and a bitwise CRC-32C (the script is in Spec/identity.md), for
/// the Spec/identity.md device key and BEP 44's test key, at public, local and loopback addresses.
@Suite("Key-derived node IDs: vectors and BEP 42 validity")
struct KeyDerivedNodeIDTests {
    static let deviceKey = "29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7"
    static let bep44Key = "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548"

    /// (public key, external address or "" for none, expected ID).
    static let vectors: [(String, String, String)] = [
        (deviceKey, "", "1c2ad0de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "124.31.75.21", "f419e0de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "21.75.31.124", "dfb930de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "65.23.51.170", "2051e8de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "84.124.73.14", "b0a578de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "43.213.53.83", "324a78de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "100.128.0.1", "c68f80de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "127.0.0.1", "1c2ad0de9432804d0efc3e417835fbb792113a9b"),
        (deviceKey, "192.168.1.2", "1c2ad0de9432804d0efc3e417835fbb792113a9b"),
        (bep44Key, "", "c12a53471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "124.31.75.21", "233cf3471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "21.75.31.124", "089c23471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "65.23.51.170", "f774fb471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "84.124.73.14", "67806b471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "43.213.53.83", "e56f6b471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "100.128.0.1", "11aa93471ddf343f39e3bacf297ec99324b4b572"),
        (bep44Key, "10.1.2.3", "c12a53471ddf343f39e3bacf297ec99324b4b572"),
    ]

    @Test("derived IDs match the independently computed vectors", arguments: vectors)
    func vector(key: String, address: String, expected: String) throws {
        let pk = try #require(bytes(hex: key))
        let ip = address.isEmpty ? nil : try #require(IPv4Address(address))
        let id = NodeID.derived(fromPublicKey: pk, externalAddress: ip)
        #expect(id.description == expected)
        #expect(id.isDerived(fromPublicKey: pk, externalAddress: ip))
        if let ip {
            #expect(id.isBEP42Valid(for: ip))
        }
    }

    @Test("a public-address ID keeps every key-hash bit outside BEP 42's 21-bit prefix")
    func commitsToKey() throws {
        let pk = try #require(bytes(hex: Self.deviceKey))
        let plain = NodeID.derived(fromPublicKey: pk, externalAddress: nil).bytes
        let bound = NodeID.derived(fromPublicKey: pk, externalAddress: IPv4Address(124, 31, 75, 21)).bytes
        #expect(bound[3...] == plain[3...])
        #expect(bound[2] & 0x07 == plain[2] & 0x07)
        // The key hash alone is not valid for that address (its prefix is not the CRC's), so a switch is needed.
        #expect(try !#require(NodeID(plain)).isBEP42Valid(for: IPv4Address(124, 31, 75, 21)))
        // Another key at the same address gets another ID.
        let other = try #require(bytes(hex: Self.bep44Key))
        #expect(NodeID.derived(fromPublicKey: other, externalAddress: IPv4Address(124, 31, 75, 21)).bytes != bound)
    }

    private func bytes(hex: String) -> [UInt8]? {
        let u = Array(hex.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < u.count {
            guard let b = UInt8(String(decoding: u[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
            i += 2
        }
        return out
    }
}
