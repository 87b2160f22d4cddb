/// A ggml tensor type number as stored in a GGUF tensor info (`ggml_type` in ggml.h).
///
/// Every number ggml defines is listed so an unsupported file can be named precisely; `isSupported`
/// says which ones Veector can read (F32, F16, BF16, Q4_0, Q4_1, Q8_0).
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3
    case q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_XXS = 16, iq2_XS = 17, iq3_XXS = 18, iq1_S = 19, iq4_NL = 20, iq3_S = 21, iq2_S = 22
    case iq4_XS = 23, i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_M = 29, bf16 = 30
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39

    /// ggml's own name for the type (e.g. "Q4_1").
    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q5_1: return "Q5_1"
        case .q8_0: return "Q8_0"
        case .q8_1: return "Q8_1"
        case .q2_K: return "Q2_K"
        case .q3_K: return "Q3_K"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        case .q8_K: return "Q8_K"
        case .iq2_XXS: return "IQ2_XXS"
        case .iq2_XS: return "IQ2_XS"
        case .iq3_XXS: return "IQ3_XXS"
        case .iq1_S: return "IQ1_S"
        case .iq4_NL: return "IQ4_NL"
        case .iq3_S: return "IQ3_S"
        case .iq2_S: return "IQ2_S"
        case .iq4_XS: return "IQ4_XS"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .f64: return "F64"
        case .iq1_M: return "IQ1_M"
        case .bf16: return "BF16"
        case .tq1_0: return "TQ1_0"
        case .tq2_0: return "TQ2_0"
        case .mxfp4: return "MXFP4"
        }
    }

    /// Whether Veector reads tensors of this type.
    public var isSupported: Bool { layout != nil }

    /// Elements per block and bytes per block for the supported types; `nil` for the others.
    public var layout: (elementsPerBlock: Int, bytesPerBlock: Int)? {
        switch self {
        case .f32: return (1, 4)
        case .f16, .bf16: return (1, 2)
        case .q4_0: return (BlockQ4_0.elementsPerBlock, BlockQ4_0.bytesPerBlock)
        case .q4_1: return (BlockQ4_1.elementsPerBlock, BlockQ4_1.bytesPerBlock)
        case .q8_0: return (BlockQ8_0.elementsPerBlock, BlockQ8_0.bytesPerBlock)
        default: return nil
        }
    }
}
