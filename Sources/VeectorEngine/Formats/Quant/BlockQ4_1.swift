/// ggml's `block_q4_1`: 32 weights as 4-bit values with an f16 scale and an f16 minimum (20 bytes).
/// `x[j] = (qs[j] & 0xF) * d + m` and `x[j + 16] = (qs[j] >> 4) * d + m` for j in 0..<16.
public struct BlockQ4_1: QuantFormat, Equatable {
    /// The scale `d`, as IEEE half-precision bits.
    public var d: UInt16
    /// The minimum `m`, as IEEE half-precision bits.
    public var m: UInt16
    /// 16 bytes of packed nibbles: low nibbles are weights 0…15, high nibbles weights 16…31.
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    /// Weights per block (ggml's QK4_1).
    public static let elementsPerBlock = 32
    /// The ggml type number.
    public static let ggmlType = GGMLType.q4_1

    /// Makes a block from its scale and minimum bits and its 16 packed bytes.
    public init(d: UInt16, m: UInt16, qs: [UInt8]) {
        precondition(qs.count == 16, "BlockQ4_1 holds 16 bytes of nibbles")
        self.d = d
        self.m = m
        self.qs = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &self.qs) { $0.copyBytes(from: qs) }
    }

    /// Dequantises the 32 weights (ggml `dequantize_row_q4_1`).
    public func dequantize(into output: UnsafeMutablePointer<Float>) {
        let scale = float32(fromFloat16Bits: UInt16(littleEndian: d))
        let minimum = float32(fromFloat16Bits: UInt16(littleEndian: m))
        withUnsafeBytes(of: qs) { q in
            for j in 0..<16 {
                output[j] = Float(q[j] & 0x0F) * scale + minimum
                output[j + 16] = Float(q[j] >> 4) * scale + minimum
            }
        }
    }

    /// Compares scale, minimum and packed bytes.
    public static func == (a: Self, b: Self) -> Bool {
        a.d == b.d && a.m == b.m
            && withUnsafeBytes(of: a.qs) { x in withUnsafeBytes(of: b.qs) { y in x.elementsEqual(y) } }
    }
}
