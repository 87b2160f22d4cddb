/// An element type named in a safetensors header (`"dtype"`).
///
/// All dtypes of the safetensors format are recognised so every tensor's byte range can be checked;
/// only F32, F16 and BF16 convert to `Float` (`isFloat`). Others (e.g. MiniLM's I64 `position_ids`)
/// are available as raw bytes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8_e4m3 = "F8_E4M3", f8_e5m2 = "F8_E5M2"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8_e4m3, .f8_e5m2: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Whether Veector converts tensors of this dtype to `Float` (F32, F16, BF16).
    public var isFloat: Bool { self == .f32 || self == .f16 || self == .bf16 }
}
