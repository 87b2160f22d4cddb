import Testing
import VeectorEngine

@Suite struct QuantBlockTests {
    @Test func blockLayoutsMatchGGML() {
        #expect(MemoryLayout<BlockQ4_0>.size == 18)
        #expect(MemoryLayout<BlockQ4_1>.size == 20)
        #expect(MemoryLayout<BlockQ8_0>.size == 34)
        #expect(MemoryLayout<BlockQ4_0>.offset(of: \.qs) == 2)
        #expect(MemoryLayout<BlockQ4_1>.offset(of: \.m) == 2)
        #expect(MemoryLayout<BlockQ4_1>.offset(of: \.qs) == 4)
        #expect(MemoryLayout<BlockQ8_0>.offset(of: \.qs) == 2)
        #expect(BlockQ4_0.bytesPerBlock == 18 && BlockQ4_1.bytesPerBlock == 20 && BlockQ8_0.bytesPerBlock == 34)
        #expect(BlockQ4_0.elementsPerBlock == 32 && BlockQ4_1.elementsPerBlock == 32 && BlockQ8_0.elementsPerBlock == 32)
        #expect(GGMLType.q4_1.layout?.elementsPerBlock == 32 && GGMLType.q4_1.layout?.bytesPerBlock == 20)
    }

    /// The test vector in Spec/model-formats.md: d = 0.5, m = -1, qs[j] = j | (15 - j) << 4.
    @Test func q4_1TestVector() {
        let bytes: [UInt8] = [0x00, 0x38, 0x00, 0xBC, 0xF0, 0xE1, 0xD2, 0xC3, 0xB4, 0xA5, 0x96, 0x87,
                              0x78, 0x69, 0x5A, 0x4B, 0x3C, 0x2D, 0x1E, 0x0F]
        let expected: [Float] = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5,
                                 6.5, 6.0, 5.5, 5.0, 4.5, 4.0, 3.5, 3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0, -0.5, -1.0]
        let values = bytes.withUnsafeBytes { BlockQ4_1.dequantizeRow($0) }
        #expect(values == expected)
        let block = bytes.withUnsafeBytes { $0.loadUnaligned(as: BlockQ4_1.self) }
        #expect(block == BlockQ4_1(d: 0x3800, m: 0xBC00, qs: (0..<16).map { UInt8($0 | (15 - $0) << 4) }))
    }

    /// d = 2, same nibbles: x[j] = (j - 8) * 2, x[j + 16] = (7 - j) * 2.
    @Test func q4_0TestVector() {
        let bytes: [UInt8] = [0x00, 0x40, 0xF0, 0xE1, 0xD2, 0xC3, 0xB4, 0xA5, 0x96, 0x87,
                              0x78, 0x69, 0x5A, 0x4B, 0x3C, 0x2D, 0x1E, 0x0F]
        let expected: [Float] = [-16, -14, -12, -10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10, 12, 14,
                                 14, 12, 10, 8, 6, 4, 2, 0, -2, -4, -6, -8, -10, -12, -14, -16]
        #expect(bytes.withUnsafeBytes { BlockQ4_0.dequantizeRow($0) } == expected)
    }

    /// d = 0.25, qs[j] = 8j - 128: x[j] = 2j - 32.
    @Test func q8_0TestVector() {
        var bytes: [UInt8] = [0x00, 0x34]
        bytes += (0..<32).map { UInt8(8 * $0) ^ 0x80 }
        #expect(bytes[2] == 0x80 && bytes[33] == 0x78)
        let expected = (0..<32).map { Float(2 * $0 - 32) }
        #expect(bytes.withUnsafeBytes { BlockQ8_0.dequantizeRow($0) } == expected)
    }

    @Test func rowsOfSeveralBlocksAtAnyAlignment() {
        let blocks = [BlockQ4_1(d: 0x3C00, m: 0x0000, qs: [UInt8](repeating: 0x21, count: 16)),
                      BlockQ4_1(d: 0x4000, m: 0x3C00, qs: [UInt8](repeating: 0x10, count: 16))]
        var bytes: [UInt8] = [0xAA]  // odd start: rows are read unaligned
        for var b in blocks { withUnsafeBytes(of: &b) { bytes += $0 } }
        let values = bytes.withUnsafeBytes { BlockQ4_1.dequantizeRow(UnsafeRawBufferPointer(rebasing: $0.dropFirst())) }
        #expect(values.count == 64)
        #expect(values[0] == 1 && values[16] == 2)        // 1·1 + 0, 2·1 + 0
        #expect(values[32] == 1 && values[48] == 3)       // 0·2 + 1, 1·2 + 1
    }

    @Test func float16ConversionMatchesKnownValues() {
        #expect(float32(fromFloat16Bits: 0x3C00) == 1)
        #expect(float32(fromFloat16Bits: 0xC000) == -2)
        #expect(float32(fromFloat16Bits: 0x7BFF) == 65504)
        #expect(float32(fromFloat16Bits: 0x0001) == 0x1p-24)
        #expect(float32(fromFloat16Bits: 0x8000).sign == .minus)
        #expect(float32(fromFloat16Bits: 0x7C00) == .infinity)
        #expect(float32(fromFloat16Bits: 0x7E00).isNaN)
        #expect(float32(fromBFloat16Bits: 0x3F80) == 1)
        #expect(float32(fromBFloat16Bits: 0xC0A0) == -5)
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func float16ConversionIsExactForEveryBitPattern() {
        var mismatches: [UInt16] = []
        for bits in 0...UInt16.max {
            let ours = float32(fromFloat16Bits: bits)
            let reference = Float(Float16(bitPattern: bits))
            if !(ours.bitPattern == reference.bitPattern || (ours.isNaN && reference.isNaN)) { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty)
    }
    #endif
}
