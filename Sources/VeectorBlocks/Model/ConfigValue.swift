/// One value of a model's configuration (architecture metadata such as `llama.block_count`).
///
/// Stored in the model manifest as a plain JSON scalar. A float that happens to be whole (e.g.
/// `rope.freq_base = 100000`) reads back as `.int`, so read numbers with `doubleValue`.
public enum ConfigValue: Sendable, Codable, Equatable, CustomStringConvertible {
    /// An integer.
    case int(Int)
    /// A floating-point number (stored with `Float` precision, as the model files hold it).
    case float(Float)
    /// A string.
    case string(String)
    /// A boolean.
    case bool(Bool)

    /// The value as an integer (for `.int`), else nil.
    public var intValue: Int? {
        if case let .int(v) = self { return v }
        return nil
    }

    /// The value as a number (for `.int` and `.float`), else nil.
    public var doubleValue: Double? {
        switch self {
        case let .int(v): return Double(v)
        case let .float(v): return Double(v)
        default: return nil
        }
    }

    /// The string (for `.string`), else nil.
    public var stringValue: String? {
        if case let .string(v) = self { return v }
        return nil
    }

    /// Reads a JSON scalar.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let i = try? c.decode(Int.self) { self = .int(i) } else if let f = try? c.decode(Float.self) { self = .float(f) } else { self = .string(try c.decode(String.self)) }
    }

    /// Writes a JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .int(v): try c.encode(v)
        case let .float(v): try c.encode(v)
        case let .string(v): try c.encode(v)
        case let .bool(v): try c.encode(v)
        }
    }

    /// The value as text.
    public var description: String {
        switch self {
        case let .int(v): return String(v)
        case let .float(v): return String(v)
        case let .string(v): return v
        case let .bool(v): return String(v)
        }
    }
}
