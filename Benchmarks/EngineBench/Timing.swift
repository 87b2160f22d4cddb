import Foundation

/// Wall-clock and process CPU seconds of one timed run. On a shared, loaded machine the wall figure
/// depends on how much CPU the scheduler gave us; CPU time ÷ threads estimates the wall time on idle cores.
struct Timing {
    var wall: Double
    var cpu: Double

    /// Times `body` once.
    static func of(_ body: () throws -> Void) rethrows -> Timing {
        var c0 = timespec(), c1 = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0)
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1)
        return Timing(wall: wall, cpu: Double(c1.tv_sec - c0.tv_sec) + Double(c1.tv_nsec - c0.tv_nsec) / 1e9)
    }
}

/// Mean and sample standard deviation of `tokens ÷ seconds` over the runs, by wall time and by CPU time
/// per thread, as a JSON object.
func summary(_ test: String, tokens: Int, threads: Int, _ runs: [Timing]) -> [String: Any] {
    func stats(_ rates: [Double]) -> (Double, Double) {
        let mean = rates.reduce(0, +) / Double(rates.count)
        let sd = rates.count > 1 ? (rates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rates.count - 1)).squareRoot() : 0
        return (mean, sd)
    }
    let (wall, wallSD) = stats(runs.map { Double(tokens) / $0.wall })
    let (cpu, cpuSD) = stats(runs.map { Double(tokens) / ($0.cpu / Double(threads)) })
    return ["test": test, "tokens": tokens, "reps": runs.count,
            "tokens_per_second_mean": wall, "tokens_per_second_sd": wallSD,
            "tokens_per_cpu_second_per_thread_mean": cpu, "tokens_per_cpu_second_per_thread_sd": cpuSD,
            "seconds": runs.map(\.wall), "cpu_seconds": runs.map(\.cpu)]
}

/// Peak resident memory of this process so far, in MiB (getrusage ru_maxrss).
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The 1-minute load average, to tell a quiet run from one sharing the cores.
func loadAverage() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return -1 }
    return Double(text.split(separator: " ").first ?? "") ?? -1
}

/// The CPU's model name from /proc/cpuinfo.
func cpuModelName() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
    return "unknown"
}
