import Foundation

/// Printing helpers: tables for people, JSON for scripts, progress on stderr.
enum Output {
    static func json<T: Encodable>(_ value: T) {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        let data = (try? e.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints rows as aligned columns under a header.
    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        print(line(header))
        for r in rows { print(line(r)) }
    }

    static func bytes(_ n: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
    }

    static func date(_ d: Date?) -> String {
        guard let d else { return "-" }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("veenode: \(message)\n".utf8))
    }
}

/// Shows progress of a long read or write on stderr: a redrawn line on a terminal, a line per
/// 10 % otherwise; silent for content under 8 MiB.
final class ProgressReporter {
    let label: String
    let isTerminal = isatty(STDERR_FILENO) == 1
    var lastDecile = -1
    var lastDraw = Date.distantPast

    init(_ label: String) { self.label = label }

    func update(_ done: UInt64, _ total: UInt64) {
        guard total >= 8 << 20 else { return }
        let fraction = Double(done) / Double(max(total, 1))
        let text = "\(label): \(Int(fraction * 100))% (\(Output.bytes(done)) of \(Output.bytes(total)))"
        if isTerminal {
            guard done == total || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            FileHandle.standardError.write(Data(("\r" + text + (done == total ? "\n" : "")).utf8))
        } else {
            let decile = Int(fraction * 10)
            guard decile != lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }
}
