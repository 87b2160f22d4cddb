/// The records `veectordb-stress` writes, shared with the crash-injection tests that check them:
/// transaction N puts one record per operation (collections "stress-0", "stress-1", …, key N) whose
/// value is a deterministic function of (N, operation), and sets the "counter" record to N.
public enum StressLayout {
    /// The collection that holds the last committed transaction number.
    public static let counter = "stress-counter"
    /// Its only key.
    public static let counterKey: [UInt8] = Array("last".utf8)

    /// Collection of operation `op`.
    public static func collection(_ op: Int) -> String { "stress-\(op)" }

    /// The key of transaction `n` (big-endian, so key order is transaction order).
    public static func key(_ n: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(n).bigEndian) { Array($0) } }

    /// The value operation `op` of transaction `n` writes: a size that varies with n, bytes from a hash.
    public static func value(txn n: Int, op: Int, size: Int) -> [UInt8] {
        var state = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(op)
        let length = size / 2 + Int(state % UInt64(max(1, size)))
        var out = [UInt8](repeating: 0, count: length)
        for i in 0..<length {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return out
    }

    /// Counter encoding: u64 little-endian.
    public static func encodeCounter(_ n: UInt64) -> [UInt8] { withUnsafeBytes(of: n.littleEndian) { Array($0) } }

    /// Decodes the counter.
    public static func decodeCounter(_ bytes: [UInt8]) -> UInt64 {
        bytes.count == 8 ? bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } : 0
    }
}
