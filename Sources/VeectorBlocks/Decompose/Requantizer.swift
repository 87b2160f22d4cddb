import VeectorEngine

/// Quantises rows of `Float` weights to ggml's Q8_0, Q4_0 and Q4_1 blocks, following ggml's reference
/// `quantize_row_*_ref` exactly (same scales, same rounding), so a block made here is what llama.cpp
/// would make from the same values.
public enum Requantizer {
    /// Quantises `values` (a multiple of 32, all finite) to `type`; returns the blocks' bytes.
    public static func quantize(_ values: [Float], to type: GGMLType) -> [UInt8] {
        precondition(values.count % 32 == 0, "rows are whole quantisation blocks")
        let blocks = values.count / 32
        switch type {
        case .q8_0:
            var out = [UInt8](repeating: 0, count: blocks * BlockQ8_0.bytesPerBlock)
            for b in 0..<blocks { q8_0(values, b * 32, &out, b * BlockQ8_0.bytesPerBlock) }
            return out
        case .q4_0:
            var out = [UInt8](repeating: 0, count: blocks * BlockQ4_0.bytesPerBlock)
            for b in 0..<blocks { q4_0(values, b * 32, &out, b * BlockQ4_0.bytesPerBlock) }
            return out
        case .q4_1:
            var out = [UInt8](repeating: 0, count: blocks * BlockQ4_1.bytesPerBlock)
            for b in 0..<blocks { q4_1(values, b * 32, &out, b * BlockQ4_1.bytesPerBlock) }
            return out
        default:
            preconditionFailure("Requantizer writes Q8_0, Q4_0 and Q4_1 only")
        }
    }

    private static func putHalf(_ v: Float, _ out: inout [UInt8], _ at: Int) {
        let h = float16Bits(from: v)
        out[at] = UInt8(h & 0xFF)
        out[at + 1] = UInt8(h >> 8)
    }

    private static func q8_0(_ x: [Float], _ i: Int, _ out: inout [UInt8], _ o: Int) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[i + j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(d, &out, o)
        for j in 0..<32 { out[o + 2 + j] = UInt8(bitPattern: Int8(clamping: Int((x[i + j] * id).rounded()))) }
    }

    private static func q4_0(_ x: [Float], _ i: Int, _ out: inout [UInt8], _ o: Int) {
        var amax: Float = 0, extreme: Float = 0
        for j in 0..<32 where amax < abs(x[i + j]) {
            amax = abs(x[i + j])
            extreme = x[i + j]
        }
        let d = extreme / -8
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(d, &out, o)
        for j in 0..<16 {
            let a = min(15, Int(x[i + j] * id + 8.5))
            let b = min(15, Int(x[i + 16 + j] * id + 8.5))
            out[o + 2 + j] = UInt8(a) | UInt8(b) << 4
        }
    }

    private static func q4_1(_ x: [Float], _ i: Int, _ out: inout [UInt8], _ o: Int) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 {
            lo = min(lo, x[i + j])
            hi = max(hi, x[i + j])
        }
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(d, &out, o)
        putHalf(lo, &out, o + 2)
        for j in 0..<16 {
            let a = min(15, Int((x[i + j] - lo) * id + 0.5))
            let b = min(15, Int((x[i + 16 + j] - lo) * id + 0.5))
            out[o + 4 + j] = UInt8(a) | UInt8(b) << 4
        }
    }
}
