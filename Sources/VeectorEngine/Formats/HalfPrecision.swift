/// Converts IEEE 754 half-precision bits (as stored in GGUF and safetensors F16 tensors) to `Float`,
/// exactly, including subnormals, infinities and NaN. Portable: does not rely on `Float16`.
@inline(__always)
public func float32(fromFloat16Bits h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        // Zero or subnormal: mantissa × 2^-24, exact in Float.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign != 0 ? -magnitude : magnitude
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
}

/// Converts bfloat16 bits (the top half of a `Float`, as in safetensors BF16 tensors) to `Float`.
@inline(__always)
public func float32(fromBFloat16Bits b: UInt16) -> Float {
    Float(bitPattern: UInt32(b) << 16)
}
