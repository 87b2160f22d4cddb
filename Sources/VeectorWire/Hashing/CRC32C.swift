/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum BEP 42 derives node-ID
/// prefixes from.
public enum CRC32C {
    /// The 256-entry lookup table, built once.
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The CRC-32C of `data` (initial value and final XOR 0xFFFFFFFF, as in iSCSI and SSE4.2).
    public static func checksum(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}
