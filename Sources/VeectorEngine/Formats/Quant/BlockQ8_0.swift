/// ggml's `block_q8_0`: 32 weights as signed bytes with one f16 scale (34 bytes).
/// `x[j] = qs[j] * d` for j in 0..<32.
public struct BlockQ8_0: QuantFormat, Equatable {
    /// The scale `d`, as IEEE half-precision bits.
    public var d: UInt16
    /// The 32 signed quantised weights.
    public var qs: (Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
                    Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
                    Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8,
                    Int8, Int8, Int8, Int8, Int8, Int8, Int8, Int8)

    /// Weights per block (ggml's QK8_0).
    public static let elementsPerBlock = 32
    /// The ggml type number.
    public static let ggmlType = GGMLType.q8_0

    /// Makes a block from its scale bits and its 32 signed weights.
    public init(d: UInt16, qs: [Int8]) {
        precondition(qs.count == 32, "BlockQ8_0 holds 32 weights")
        self.d = d
        self.qs = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &self.qs) { raw in qs.withUnsafeBytes { raw.copyMemory(from: $0) } }
    }

    /// Dequantises the 32 weights (ggml `dequantize_row_q8_0`).
    public func dequantize(into output: UnsafeMutablePointer<Float>) {
        let scale = float32(fromFloat16Bits: UInt16(littleEndian: d))
        withUnsafeBytes(of: qs) { q in
            for j in 0..<32 { output[j] = Float(Int8(bitPattern: q[j])) * scale }
        }
    }

    /// Compares scale and weights.
    public static func == (a: Self, b: Self) -> Bool {
        a.d == b.d && withUnsafeBytes(of: a.qs) { x in withUnsafeBytes(of: b.qs) { y in x.elementsEqual(y) } }
    }
}
