import Foundation

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Seconds per call of some work: wall clock, and CPU time of the whole process (all threads). On a
/// shared, loaded machine the wall figure depends on how much CPU the scheduler gave us; CPU time
/// divided by the thread count estimates the wall time the same work takes on idle cores.
struct Timing {
    /// Wall-clock seconds per call.
    var wall: Double
    /// Process CPU seconds per call (every thread of the process, spinning included).
    var cpu: Double
}

/// Mean time per call of `body` over `repeats` calls, after one warm-up call.
func measure(repeats: Int, _ body: () -> Void) -> Timing {
    body()
    var c0 = timespec(), c1 = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0)
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats { body() }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1)
    let cpu = Double(c1.tv_sec - c0.tv_sec) + Double(c1.tv_nsec - c0.tv_nsec) / 1e9
    return Timing(wall: wall / Double(repeats), cpu: cpu / Double(repeats))
}

/// The CPU's model name from /proc/cpuinfo (Linux), for the report.
func cpuModelName() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
    return "unknown"
}

/// The 1-minute load average (Linux), to tell a quiet run from one sharing the cores.
func loadAverage() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return -1 }
    return Double(text.split(separator: " ").first ?? "") ?? -1
}
