import Foundation

/// Command-line options of veector-engine-bench (see main.swift for the modes).
struct EngineBenchOptions {
    /// The GGUF to run, or to decompose (`--model PATH`).
    var model: String?
    /// Decompose `model` into block files in this folder and exit (`--decompose-to DIR`).
    var decomposeTo: String?
    /// Serve the weights through a `BlockCache` over the block files in this folder (`--blocks DIR`).
    var blocks: String?
    /// The cache's memory budget as a fraction of the model's block bytes (`--budget-fraction 0.25`).
    var budgetFraction = 1.0
    /// When the budget is below the least that works, run at that least budget instead of failing
    /// (`--at-least-minimum`; the report gives both).
    var atLeastMinimum = false
    /// Prompt tokens of the pp test; 0 skips it (`--prompt 512`).
    var prompt = 512
    /// Generated tokens of the tg test; 0 skips it (`--gen 128`).
    var gen = 128
    /// Timed repetitions after one warm-up (`--reps 3`).
    var reps = 3
    /// `exact` or `fast` (`--precision fast`).
    var precision = "exact"
    /// Threads the engine computes on (its pool and OpenBLAS), also in the report (`--threads N`; the
    /// script pins the process to that many CPUs with taskset).
    var threads = 1
    /// Where to write the JSON report (`--json PATH`; standard output when absent).
    var json: String?

    static let usage = """
        usage: veector-engine-bench --model GGUF [--prompt 512] [--gen 128] [--reps 3] [--precision exact|fast]
                                    [--threads N] [--json PATH]
               veector-engine-bench --model GGUF --decompose-to DIR
               veector-engine-bench --model GGUF --blocks DIR [--budget-fraction 0.25] [--at-least-minimum] [...as above]
        """

    /// Parses `arguments`; on a bad argument prints what is wrong and the usage, and exits with status 2.
    static func parse(_ arguments: ArraySlice<String>) -> EngineBenchOptions {
        var o = EngineBenchOptions()
        var it = arguments.makeIterator()
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("veector-engine-bench: \(message)\n\(usage)\n".utf8))
            exit(2)
        }
        func value(_ flag: String) -> String {
            guard let v = it.next() else { fail("\(flag) needs a value") }
            return v
        }
        func integer(_ flag: String, minimum: Int) -> Int {
            let v = value(flag)
            guard let n = Int(v), n >= minimum else { fail("\(flag) must be an integer ≥ \(minimum), got \(v)") }
            return n
        }
        while let arg = it.next() {
            switch arg {
            case "--model": o.model = value(arg)
            case "--decompose-to": o.decomposeTo = value(arg)
            case "--blocks": o.blocks = value(arg)
            case "--budget-fraction":
                let v = value(arg)
                guard let f = Double(v), f > 0, f <= 64 else { fail("--budget-fraction must be a number in (0, 64], got \(v)") }
                o.budgetFraction = f
            case "--at-least-minimum": o.atLeastMinimum = true
            case "--prompt": o.prompt = integer(arg, minimum: 0)
            case "--gen": o.gen = integer(arg, minimum: 0)
            case "--reps": o.reps = integer(arg, minimum: 1)
            case "--threads": o.threads = integer(arg, minimum: 1)
            case "--precision":
                o.precision = value(arg)
                guard ["exact", "fast"].contains(o.precision) else { fail("--precision must be exact or fast, got \(o.precision)") }
            case "--json": o.json = value(arg)
            case "--help", "-h": print(usage); exit(0)
            default: fail("unknown argument \(arg)")
            }
        }
        guard let model = o.model else { fail("--model is required") }
        guard FileManager.default.fileExists(atPath: model) else {
            fail("\(model) is absent; run scripts/fetch-models.sh first")
        }
        return o
    }
}
