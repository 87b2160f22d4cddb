import Testing
import VeectorBlocks
import VeectorEngine

/// Requantisation follows ggml's reference quantisers; half-precision rounding is exact.
@Suite struct RequantizerTests {
    @Test func halfPrecisionRoundTripsEveryHalf() {
        for bits in UInt16.min...UInt16.max {
            let f = float32(fromFloat16Bits: bits)
            if f.isNaN { #expect(float32(fromFloat16Bits: float16Bits(from: f)).isNaN); continue }
            #expect(float16Bits(from: f) == bits, "half \(bits)")
        }
    }

    @Test func halfPrecisionRoundsToNearestEven() {
        // 1 + 2^-11 is half-way between 1 and the next half (1 + 2^-10): ties go to even (1).
        #expect(float16Bits(from: 1 + 0x1p-11) == 0x3C00)
        #expect(float16Bits(from: 1 + 3 * 0x1p-11) == 0x3C02)
        #expect(float16Bits(from: 65520) == 0x7C00)
        #expect(float16Bits(from: 0x1p-25) == 0)
        #expect(float16Bits(from: 0x1.8p-25) == 1)
    }

    @Test func q8_0MatchesTheReferenceFormula() {
        let x: [Float] = (0..<32).map { Float($0) * 0.25 - 3 }
        let bytes = Requantizer.quantize(x, to: .q8_0)
        #expect(bytes.count == 34)
        let d = float32(fromFloat16Bits: UInt16(bytes[0]) | UInt16(bytes[1]) << 8)
        #expect(abs(d - 4.75 / 127) < 1e-4)
        let y = bytes.withUnsafeBytes { BlockQ8_0.dequantizeRow($0) }
        for (a, b) in zip(x, y) { #expect(abs(a - b) <= d / 2 + 1e-6) }
    }

    @Test func fourBitErrorsStayWithinHalfAStep() {
        var rng = WeightRandom(state: 7)
        let x = rng.floats(32 * 64)
        for type in [GGMLType.q4_0, .q4_1] {
            let y = Requantizer.quantize(x, to: type).withUnsafeBytes { raw -> [Float] in
                type == .q4_0 ? BlockQ4_0.dequantizeRow(raw) : BlockQ4_1.dequantizeRow(raw)
            }
            for b in 0..<64 {
                let block = x[(b * 32)..<(b * 32 + 32)]
                let range = block.max()! - block.min()!
                // Q4_1: steps of range/15, error ≤ half a step. Q4_0: steps of amax/8 over [-8, 7] steps, so
                // the value opposite the extreme may be clipped by up to one step (as in ggml). Plus f16 scale rounding.
                let step = type == .q4_1 ? range / 15 : block.map(abs).max()! / 8
                let bound = type == .q4_1 ? step * 0.5 : step
                for i in (b * 32)..<(b * 32 + 32) { #expect(abs(x[i] - y[i]) <= bound + step * 0.01 + 1e-3, "\(type) \(i)") }
            }
        }
    }

    @Test func constantBlockQuantisesExactly() {
        let x = [Float](repeating: 0.5, count: 32)
        for type in [GGMLType.q4_0, .q4_1] {
            let y = Requantizer.quantize(x, to: type).withUnsafeBytes { raw -> [Float] in
                type == .q4_0 ? BlockQ4_0.dequantizeRow(raw) : BlockQ4_1.dequantizeRow(raw)
            }
            #expect(y == x, "\(type)")
        }
    }
}
