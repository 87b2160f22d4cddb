// veector-engine-bench: our SmolLM2 forward pass measured the way llama-bench measures llama.cpp
// (Benchmarks/llama_cpp_bench.py): pp = one batch of --prompt random token ids from an empty KV cache,
// tg = --gen single-token decodes from an empty cache, one warm-up of each, then --reps timed runs,
// tokens/second mean ± sample sd (wall, and by CPU time per thread). Weights come from the mapped GGUF,
// or (--blocks) through a BlockCache over block files under a memory budget (--budget-fraction of the
// model's block bytes). Thread count: --threads, which sets the engine's compute pool and OpenBLAS (the
// script also pins the process to that many CPUs with `taskset`). Writes one JSON report. See Docs/benchmarks.md.
import Foundation
import VeectorBlocks
import VeectorEngine

let options = EngineBenchOptions.parse(CommandLine.arguments.dropFirst())
func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
func fail(_ s: String) -> Never { log("veector-engine-bench: \(s)"); exit(1) }

let modelPath = options.model!
if let folder = options.decomposeTo {
    do {
        let manifest = try BlockFolder.decompose(model: modelPath, into: folder)
        log("veector-engine-bench: decomposed \(modelPath) into \(manifest.blocks.count) blocks in \(folder)")
        exit(0)
    } catch { fail("cannot decompose \(modelPath) into \(folder): \(error)") }
}

let gguf: GGUFFile, configuration: LlamaConfiguration
do {
    gguf = try GGUFFile(path: modelPath)
    configuration = try LlamaConfiguration(gguf: gguf)
} catch { fail("cannot read \(modelPath): \(error)") }
let precision: ComputePrecision = options.precision == "fast" ? .fast : .exact
// Bytes of weights one generated token reads: every tensor once (the head is the tied embedding table).
let weightBytesPerToken = gguf.tensors.reduce(0) { $0 + gguf.bytes(of: $1).count }

var cache: BlockCache?
var budget = 0, blockBytes = 0, requestedBudget = 0
let source: any WeightSource
if let folder = options.blocks {
    do {
        let blocks = BlockFolder(path: folder)
        let manifest = try blocks.manifest()
        blockBytes = manifest.blocks.reduce(0) { $0 + ($1.variants.first?.bytes ?? 0) }
        budget = Int(Double(blockBytes) * options.budgetFraction)
        requestedBudget = budget
        switch Result(catching: { () throws(WeightSourceError) in
            try BlockCache(source: blocks, manifest: manifest, profile: .ultimate, memoryBudget: budget)
        }) {
        case let .success(c): cache = c
        case let .failure(.budgetTooSmall(_, minimum)) where options.atLeastMinimum:
            // The largest block (with what it borrows) must fit: run at the least budget that works.
            log("veector-engine-bench: a budget of \(budget) B is below the least that works, \(minimum) B "
                + String(format: "(%.1f %% of the blocks); using that", 100 * Double(minimum) / Double(blockBytes)))
            budget = minimum
            cache = try BlockCache(source: blocks, manifest: manifest, profile: .ultimate, memoryBudget: budget)
        case let .failure(error): throw error
        }
        source = cache!
    } catch { fail("cannot serve the blocks in \(folder): \(error)") }
} else {
    source = GGUFWeights(file: gguf)
}
let model: LlamaModel
do { model = try LlamaModel(configuration: configuration, source: source, precision: precision, threads: options.threads) } catch {
    fail("cannot build the model: \(error)")
}

var runner = TokenRuns(model: model, window: options.prompt + options.gen + 1)

let loadBefore = loadAverage()
log("veector-engine-bench: \(cpuModelName()), \(ProcessInfo.processInfo.activeProcessorCount) CPUs usable, "
    + "precision \(precision), load \(loadBefore)" + (cache.map { " budget \($0.memoryBudget) B" } ?? ""))
var results: [[String: Any]] = []
do {
    if options.prompt > 0 {
        _ = try runner.pp(options.prompt)
        let runs = try (0..<options.reps).map { _ in try runner.pp(options.prompt) }
        results.append(summary("pp\(options.prompt)", tokens: options.prompt, threads: options.threads, runs))
    }
    if options.gen > 0 {
        _ = try runner.tg(1)
        let runs = try (0..<options.reps).map { _ in try runner.tg(options.gen) }
        results.append(summary("tg\(options.gen)", tokens: options.gen, threads: options.threads, runs))
    }
} catch { fail("forward pass failed: \(error)") }
for r in results {
    log(String(format: "veector-engine-bench: t=%d %@: %.1f ± %.1f tok/s wall, %.1f by CPU time; peak RSS %.0f MiB",
               options.threads, r["test"] as! String, r["tokens_per_second_mean"] as! Double,
               r["tokens_per_second_sd"] as! Double, r["tokens_per_cpu_second_per_thread_mean"] as! Double, peakRSSMiB()))
}
var report: [String: Any] = [
    "tool": "veector-engine-bench", "date_utc": ISO8601DateFormatter().string(from: Date()),
    "command": CommandLine.arguments.joined(separator: " "), "cpu": cpuModelName(),
    "usable_cpus": ProcessInfo.processInfo.activeProcessorCount, "threads": options.threads,
    "precision": options.precision, "model": modelPath, "weight_bytes_per_token": weightBytesPerToken,
    "load_average_before": loadBefore, "load_average_after": loadAverage(),
    "peak_rss_mib": peakRSSMiB(), "results": results,
]
if let cache {
    let s = cache.statistics
    report["block_cache"] = ["memory_budget": budget, "requested_budget": requestedBudget, "block_bytes": blockBytes, "budget_fraction": options.budgetFraction,
                             "loads": s.loads, "evictions": s.evictions, "over_budget_loads": s.overBudgetLoads, "peak_resident_bytes": s.peakBytesResident]
}
let json = try! JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
if let path = options.json {
    FileManager.default.createFile(atPath: path, contents: json)
} else {
    FileHandle.standardOutput.write(json)
    print()
}
