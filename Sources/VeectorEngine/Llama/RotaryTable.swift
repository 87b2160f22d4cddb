import Foundation

/// The cosines and sines rotary position embedding uses for a run of consecutive positions, computed once
/// per forward pass and shared by every layer (computing them per token per layer cost three
/// transcendental functions per pair per layer). θ_i = position · base^(−2i/headDimension), in Double.
struct RotaryTable {
    /// The first position the table covers.
    let first: Int
    /// Floats per position in each of `cosines` and `sines` (half the head dimension).
    let half: Int
    private let cosines: [Float]
    private let sines: [Float]

    /// The table for `positions` of heads of `headDimension` with frequency base `base`.
    init(positions: Range<Int>, headDimension: Int, base: Float) {
        first = positions.lowerBound
        half = headDimension / 2
        let frequencies = (0..<half).map { Foundation.pow(Double(base), -2 * Double($0) / Double(headDimension)) }
        var c = [Float](repeating: 0, count: positions.count * half), s = c
        for (p, position) in positions.enumerated() {
            for i in 0..<half {
                let theta = Double(position) * frequencies[i]
                c[p * half + i] = Float(Foundation.cos(theta))
                s[p * half + i] = Float(Foundation.sin(theta))
            }
        }
        cosines = c
        sines = s
    }

    /// Rotates `heads` heads of `v` (the vector of the token at `position`) with `LlamaMath.rotate`.
    func rotate(_ v: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        let offset = (position - first) * half
        cosines.withUnsafeBufferPointer { c in
            sines.withUnsafeBufferPointer { s in
                LlamaMath.rotate(v, heads: heads, headDimension: 2 * half, cos: c.baseAddress! + offset,
                                 sin: s.baseAddress! + offset)
            }
        }
    }
}
