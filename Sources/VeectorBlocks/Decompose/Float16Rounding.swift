/// Converts a `Float` to IEEE half-precision bits, rounding to nearest even as ggml's
/// `GGML_FP32_TO_FP16` does (overflow → infinity, NaN stays NaN). Portable: does not rely on `Float16`.
public func float16Bits(from value: Float) -> UInt16 {
    let x = value.bitPattern
    let sign = UInt16((x >> 16) & 0x8000)
    let exponent = Int((x >> 23) & 0xFF)
    var mantissa = x & 0x7F_FFFF
    if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
    let e = exponent - 127 + 15
    if e >= 31 { return sign | 0x7C00 }
    if e <= 0 {
        // Subnormal half (or zero): value × 2^24 rounded, with the implicit bit made explicit.
        if e < -10 { return sign }
        mantissa |= 0x80_0000
        let shift = UInt32(14 - e)
        var half = mantissa >> shift
        let rest = mantissa & ((1 << shift) - 1)
        let halfway: UInt32 = 1 << (shift - 1)
        if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
    var half = UInt32(e) << 10 | (mantissa >> 13)
    let rest = mantissa & 0x1FFF
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }
    return sign | UInt16(half)
}
