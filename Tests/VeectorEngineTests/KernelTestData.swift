import CVeectorKernels
import VeectorEngine
import VeectorTestSupport

/// Seeded random weights and activations for the kernel tests, in every stored type the kernels read.
/// Scales and minima are finite halves of realistic size, so products neither overflow nor vanish.
enum KernelTestData {
    static let types: [vk_type] = [VK_F32, VK_F16, VK_BF16, VK_Q4_0, VK_Q4_1, VK_Q8_0]

    static func isQuantised(_ type: vk_type) -> Bool { vk_block_elements(type) == 32 }

    /// Floats uniform in [-1, 1).
    static func floats(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1 }
    }

    /// A half with a random sign, an exponent in `exponents` and a random mantissa.
    static func half(_ rng: inout SplitMix64, exponents: ClosedRange<UInt64>, negative: Bool? = nil) -> UInt16 {
        let r = rng.next()
        let sign: UInt64 = negative.map { $0 ? 1 : 0 } ?? (r & 1)
        let exponent = exponents.lowerBound + (r >> 1) % (exponents.upperBound - exponents.lowerBound + 1)
        return UInt16(sign << 15 | exponent << 10 | (r >> 20) & 0x3FF)
    }

    /// `rows` rows of `rowLength` weights of `type`, as stored bytes.
    static func weights(_ type: vk_type, rows: Int, rowLength: Int, _ rng: inout SplitMix64) -> [UInt8] {
        let elements = Int(vk_block_elements(type))
        var bytes = rng.bytes(rows * rowLength / elements * Int(vk_block_bytes(type)))
        func put(_ value: UInt16, at offset: Int) {
            bytes[offset] = UInt8(value & 0xFF)
            bytes[offset + 1] = UInt8(value >> 8)
        }
        switch type {
        case VK_F32:
            let values = floats(rows * rowLength, &rng)
            bytes = values.withUnsafeBytes { Array($0) }
        case VK_F16:
            for i in 0..<(rows * rowLength) { put(half(&rng, exponents: 10...16), at: 2 * i) }
        case VK_BF16:
            for i in 0..<(rows * rowLength) {
                let r = rng.next()
                let sign: UInt64 = (r & 1) << 15
                let exponent: UInt64 = (120 + (r >> 1) % 8) << 7
                let mantissa: UInt64 = (r >> 8) & 0x7F
                put(UInt16(sign | exponent | mantissa), at: 2 * i)
            }
        default:
            let blockBytes = Int(vk_block_bytes(type))
            for b in 0..<(bytes.count / blockBytes) {
                put(half(&rng, exponents: 8...12, negative: false), at: b * blockBytes)
                if type == VK_Q4_1 { put(half(&rng, exponents: 10...13, negative: true), at: b * blockBytes + 2) }
            }
        }
        return bytes
    }
}
