/// Builds small safetensors files in memory for tests.
struct SafetensorsWriter {
    /// One tensor: placed after the previous one unless `offsets` overrides its `data_offsets`.
    struct Tensor {
        var name: String
        var dtype: String
        var shape: [Int]
        var data: [UInt8]
        var offsets: (Int, Int)? = nil
    }

    var tensors: [Tensor] = []
    var metadata: [String: String]? = nil
    /// Spaces appended to the JSON (the format allows padding).
    var padding = 0

    func header() -> String {
        var parts: [String] = []
        if let metadata {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var next = 0
        for t in tensors {
            let (b, e) = t.offsets ?? (next, next + t.data.count)
            next = max(next, e)
            parts.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(b),\(e)]}")
        }
        return "{" + parts.joined(separator: ",") + "}" + String(repeating: " ", count: padding)
    }

    func bytes(header override: String? = nil) -> [UInt8] {
        let json = Array((override ?? header()).utf8)
        var out: [UInt8] = []
        append(UInt64(json.count), to: &out)
        out += json
        let dataStart = out.count
        var next = 0
        for t in tensors {
            let (b, e) = t.offsets ?? (next, next + t.data.count)
            next = max(next, e)
            let need = dataStart + max(e, b + t.data.count)
            if out.count < need { out += [UInt8](repeating: 0, count: need - out.count) }
            let n = max(0, min(t.data.count, e - b))
            out.replaceSubrange((dataStart + b)..<(dataStart + b + n), with: t.data.prefix(n))
        }
        return out
    }
}
