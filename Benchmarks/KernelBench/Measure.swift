import Foundation

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Mean seconds per call of `body` over `repeats` calls, after one warm-up call.
func measure(repeats: Int, _ body: () -> Void) -> Double {
    body()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats { body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repeats)
}

/// The CPU's model name from /proc/cpuinfo (Linux), for the report.
func cpuModelName() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
    return "unknown"
}
