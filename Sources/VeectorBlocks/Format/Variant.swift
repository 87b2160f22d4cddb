/// How precisely a layer block stores its weight matrices: the nest levels of one block.
///
/// `ultimate` is the source precision; `pro` and `lite` are requantised copies that trade quality for
/// memory and bandwidth. Norms and biases stay F32 in every variant. Ordered from smallest to best.
public enum Variant: String, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// 4-bit weights (Q4_0 from a Q4_1 source, Q4_1 from a float source).
    case lite
    /// 8-bit weights (Q8_0 from a float source; not made from a 4-bit source).
    case pro
    /// The source precision, byte for byte.
    case ultimate

    /// The order used to compare variants: lite < pro < ultimate.
    var rank: Int {
        switch self {
        case .lite: return 0
        case .pro: return 1
        case .ultimate: return 2
        }
    }

    /// Compares by precision.
    public static func < (a: Variant, b: Variant) -> Bool { a.rank < b.rank }

    /// `lite`, `pro` or `ultimate`.
    public var description: String { rawValue }
}
