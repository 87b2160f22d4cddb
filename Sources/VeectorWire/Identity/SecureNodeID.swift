/// BEP 42 ("DHT Security extension") node IDs: the first 21 bits of an ID are tied to the node's
/// external IPv4 address, so one address cannot choose where in the key space it sits.
///
/// Rule (BEP 42): `crc = crc32c((ip & 0x030f3fff) | (r << 29))` over the 4 bytes in network
/// order, where `r` is the low 3 bits of the ID's last byte; the ID's first 21 bits are the top
/// 21 bits of `crc`.
extension NodeID {
    /// BEP 42's IPv4 mask, applied before the CRC.
    static let bep42Mask: UInt32 = 0x030F_3FFF

    /// The CRC-32C whose top 21 bits must prefix an ID for `ip` with `rand` as its last byte.
    public static func bep42Prefix(for ip: IPv4Address, rand: UInt8) -> UInt32 {
        let r = UInt32(rand & 0x7)
        let masked = (ip.value & bep42Mask) | (r << 29)
        return CRC32C.checksum(IPv4Address(masked).bytes)
    }

    /// A BEP 42-conforming ID for `ip`: the first 21 bits from the CRC rule, the last byte
    /// `rand`, and every other bit taken from `rest` (20 bytes; its first 21 bits and last byte
    /// are overwritten).
    public static func bep42(for ip: IPv4Address, rand: UInt8, rest: [UInt8]) -> NodeID {
        precondition(rest.count == byteCount, "rest must be 20 bytes")
        let crc = bep42Prefix(for: ip, rand: rand)
        var id = rest
        id[0] = UInt8(truncatingIfNeeded: crc >> 24)
        id[1] = UInt8(truncatingIfNeeded: crc >> 16)
        id[2] = (UInt8(truncatingIfNeeded: crc >> 8) & 0xF8) | (rest[2] & 0x07)
        id[19] = rand
        return NodeID(unchecked: id)
    }

    /// A random BEP 42-conforming ID for `ip`, from the injected generator.
    public static func randomBEP42(for ip: IPv4Address, using rng: inout some RandomNumberGenerator) -> NodeID {
        let rest = NodeID.random(using: &rng).bytes
        return bep42(for: ip, rand: rest[19], rest: rest)
    }

    /// True if this ID satisfies BEP 42 for `ip` (its first 21 bits match the CRC rule with
    /// `r` taken from its last byte). Local addresses (see `IPv4Address.isLocal`) are exempt and
    /// always pass.
    public func isBEP42Valid(for ip: IPv4Address) -> Bool {
        if ip.isLocal { return true }
        let crc = Self.bep42Prefix(for: ip, rand: bytes[19])
        return bytes[0] == UInt8(truncatingIfNeeded: crc >> 24)
            && bytes[1] == UInt8(truncatingIfNeeded: crc >> 16)
            && bytes[2] & 0xF8 == UInt8(truncatingIfNeeded: crc >> 8) & 0xF8
    }
}
