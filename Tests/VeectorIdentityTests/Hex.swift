/// Hex helpers for writing test vectors readably.
extension Array where Element == UInt8 {
    init(hex: String) {
        precondition(hex.count % 2 == 0, "hex string must have an even length")
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index ..< next], radix: 16)!)
            index = next
        }
        self = out
    }

    var hex: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}
