/// A vectorised `erf` for the GELU of BERT's feed-forward layer: the rational approximation used by
/// Eigen and XLA for single precision (odd degree-13 numerator over even degree-8 denominator on
/// [-4, 4], ±1 outside), within a few float ulps of `erff`, eight lanes at a time.
enum BertErf {
    /// `erf(x)` lane by lane.
    @inline(__always)
    static func erf(_ input: SIMD8<Float>) -> SIMD8<Float> {
        let limit = SIMD8<Float>(repeating: 4)
        let x = input.replacing(with: limit, where: input .> limit).replacing(with: -limit, where: input .< -limit)
        let x2 = x * x
        var p = x2 * SIMD8(repeating: -2.72614225801306e-10) + SIMD8(repeating: 2.77068142495902e-08)
        p = x2 * p + SIMD8(repeating: -2.10102402082508e-06)
        p = x2 * p + SIMD8(repeating: -5.69250639462346e-05)
        p = x2 * p + SIMD8(repeating: -7.34990630326855e-04)
        p = x2 * p + SIMD8(repeating: -2.95459980854025e-03)
        p = x2 * p + SIMD8(repeating: -1.60960333262415e-02)
        p = x * p
        var q = x2 * SIMD8(repeating: -1.45660718464996e-05) + SIMD8(repeating: -2.13374055278905e-04)
        q = x2 * q + SIMD8(repeating: -1.68282697438203e-03)
        q = x2 * q + SIMD8(repeating: -7.37332916720468e-03)
        q = x2 * q + SIMD8(repeating: -1.42647390514189e-02)
        return p / q
    }

    /// `erf(x)` for one value (the same approximation, for the tail of a row).
    static func erf(_ x: Float) -> Float {
        erf(SIMD8(repeating: x))[0]
    }
}
