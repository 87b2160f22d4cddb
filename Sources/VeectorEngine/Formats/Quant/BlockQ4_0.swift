/// ggml's `block_q4_0`: 32 weights as 4-bit values with one f16 scale (18 bytes).
/// `x[j] = ((qs[j] & 0xF) - 8) * d` and `x[j + 16] = ((qs[j] >> 4) - 8) * d` for j in 0..<16.
public struct BlockQ4_0: QuantFormat, Equatable {
    /// The scale `d`, as IEEE half-precision bits.
    public var d: UInt16
    /// 16 bytes of packed nibbles: low nibbles are weights 0…15, high nibbles weights 16…31.
    public var qs: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    /// Weights per block (ggml's QK4_0).
    public static let elementsPerBlock = 32
    /// The ggml type number.
    public static let ggmlType = GGMLType.q4_0

    /// Makes a block from its scale bits and its 16 packed bytes.
    public init(d: UInt16, qs: [UInt8]) {
        precondition(qs.count == 16, "BlockQ4_0 holds 16 bytes of nibbles")
        self.d = d
        self.qs = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &self.qs) { $0.copyBytes(from: qs) }
    }

    /// Dequantises the 32 weights (ggml `dequantize_row_q4_0`).
    public func dequantize(into output: UnsafeMutablePointer<Float>) {
        let scale = float32(fromFloat16Bits: UInt16(littleEndian: d))
        withUnsafeBytes(of: qs) { q in
            for j in 0..<16 {
                output[j] = Float(Int32(q[j] & 0x0F) - 8) * scale
                output[j + 16] = Float(Int32(q[j] >> 4) - 8) * scale
            }
        }
    }

    /// Compares scale and packed bytes.
    public static func == (a: Self, b: Self) -> Bool {
        a.d == b.d && withUnsafeBytes(of: a.qs) { x in withUnsafeBytes(of: b.qs) { y in x.elementsEqual(y) } }
    }
}
