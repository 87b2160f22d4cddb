import Testing
import VeectorWire

@Suite("SHA-1 and CRC-32C")
struct HashTests {
    /// FIPS 180 examples (and the NIST "one million a" vector).
    @Test func sha1KnownAnswers() {
        #expect(SHA1.hash([]).hex == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hash([UInt8](ascii: "abc")).hex == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hash([UInt8](ascii: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(SHA1.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex
                == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        // Padding edge cases: 55, 56 and 64 bytes (values from Python's hashlib).
        #expect(SHA1.hash([UInt8](repeating: 0x61, count: 55)).hex == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(SHA1.hash([UInt8](repeating: 0x61, count: 56)).hex == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(SHA1.hash([UInt8](repeating: 0x61, count: 64)).hex == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    /// The standard check value ("123456789" -> 0xE3069283) and the RFC 3720 (iSCSI) examples.
    @Test func crc32cKnownAnswers() {
        #expect(CRC32C.checksum([UInt8](ascii: "123456789")) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }
}
