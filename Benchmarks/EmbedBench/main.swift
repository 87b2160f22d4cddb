// veector-embed-bench: sentences per second of Veector's MiniLM sentence embedder on a fixed set of
// sentences, at each requested thread count; one JSON object on stdout (or --json FILE).
//
//   veector-embed-bench [--model DIR] [--sentences FILE] [--threads 1,2] [--repeat 3] [--json FILE] [--tokens-per-pass 2048]
//
// The PyTorch side of the comparison is Benchmarks/minilm_torch_bench.py; Benchmarks/run-embed-vs-torch.sh
// runs both and prints the ratio.
import Foundation
import VeectorEngine
import VeectorRuntime

OpenBLASRuntime.ensureCorrectCoreType()  // first: OpenBLAS reads its core type before main

/// Command-line options.
struct Options {
    var model = ".cache/models/minilm"
    var sentences = "Benchmarks/EmbedBench/sentences.txt"
    var threads = [1, 2]
    var repeats = 3
    var json: String?
    var tokensPerPass = 2048
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("veector-embed-bench: \(message)\n".utf8))
    exit(2)
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    func value(_ flag: String) -> String {
        guard let v = arguments.popFirst() else { fail("\(flag) needs a value") }
        return v
    }
    while let flag = arguments.popFirst() {
        switch flag {
        case "--model": options.model = value(flag)
        case "--sentences": options.sentences = value(flag)
        case "--threads":
            let list = value(flag).split(separator: ",").compactMap { Int($0) }
            guard !list.isEmpty, list.allSatisfy({ $0 >= 1 }) else { fail("--threads wants a list such as 1,2") }
            options.threads = list
        case "--repeat":
            guard let n = Int(value(flag)), n >= 1 else { fail("--repeat wants a number ≥ 1") }
            options.repeats = n
        case "--json": options.json = value(flag)
        case "--tokens-per-pass":
            guard let n = Int(value(flag)), n >= 1 else { fail("--tokens-per-pass wants a number ≥ 1") }
            options.tokensPerPass = n
        case "-h", "--help":
            print("veector-embed-bench [--model DIR] [--sentences FILE] [--threads 1,2] [--repeat 3] [--json FILE] [--tokens-per-pass 2048]")
            exit(0)
        default: fail("unknown argument '\(flag)' (see --help)")
        }
    }
    return options
}

/// Peak resident set size of this process in bytes (VmHWM in /proc/self/status), or nil.
func peakRSS() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
    }
    return nil
}

/// CPU time (user + system) this process has used so far, all threads, in seconds: unlike wall time it
/// barely moves when other processes share the cores.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

/// The CPU model name from /proc/cpuinfo.
func cpuName() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in info.split(separator: "\n") where line.hasPrefix("model name") {
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }
    return "unknown"
}

let options = parseOptions()
guard let text = try? String(contentsOfFile: options.sentences, encoding: .utf8) else {
    fail("cannot read sentences from '\(options.sentences)'")
}
let sentences = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
guard !sentences.isEmpty else { fail("'\(options.sentences)' holds no sentences") }

var runs: [[String: Any]] = []
var tokenCount = 0
let clock = ContinuousClock()
for threads in options.threads {
    let embedder: SentenceEmbedder
    do {
        embedder = try SentenceEmbedder(folder: options.model, threads: threads, tokensPerPass: options.tokensPerPass)
    } catch {
        fail("\(error)")
    }
    do {
        let warm = try embedder.embed(sentences)  // warm-up: pages in the weights, sizes the buffers
        tokenCount = warm.provenance.tokenCounts.reduce(0, +)
        var times: [Double] = [], cpuTimes: [Double] = []
        var last = warm
        for _ in 0..<options.repeats {
            let start = clock.now, cpuStart = cpuSeconds()
            last = try embedder.embed(sentences)
            let elapsed = (clock.now - start).components
            times.append(Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
            cpuTimes.append(cpuSeconds() - cpuStart)
        }
        let best = times.min()!
        let median = times.sorted()[times.count / 2]
        let cpuMedian = cpuTimes.sorted()[cpuTimes.count / 2]
        runs.append([
            "threads": threads, "best_seconds": best, "median_seconds": median, "cpu_seconds": cpuMedian,
            "sentences_per_second": Double(sentences.count) / median,
            "sentences_per_cpu_second": Double(sentences.count) / cpuMedian,
            "tokens_per_second": Double(tokenCount) / median,
            "tokenize_seconds": last.provenance.tokenizeSeconds, "forward_seconds": last.provenance.forwardSeconds,
            "pool_seconds": last.provenance.poolSeconds, "passes": last.provenance.passes,
        ])
        FileHandle.standardError.write(Data(String(format: "veector threads=%d: %.1f sentences/s (median of %d, %.3f s; %.3f CPU s)\n",
                                                   threads, Double(sentences.count) / median, options.repeats, median, cpuMedian).utf8))
    } catch {
        fail("\(error)")
    }
}

let result: [String: Any] = [
    "engine": "veector", "cpu": cpuName(), "openblas_core": OpenBLASRuntime.coreName,
    "sentences": sentences.count, "tokens": tokenCount, "repeats": options.repeats,
    "runs": runs, "peak_rss_bytes": peakRSS() ?? -1, "tokens_per_pass": options.tokensPerPass,
]
let data = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
if let path = options.json {
    guard FileManager.default.createFile(atPath: path, contents: data) else { fail("cannot write '\(path)'") }
} else {
    print(String(decoding: data, as: UTF8.self))
}
