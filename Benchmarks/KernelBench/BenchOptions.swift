import Foundation

/// Command-line options of veector-kernel-bench.
struct BenchOptions {
    /// Thread counts to measure (`--threads 1,2`).
    var threads = [1, 2]
    /// Column counts (`--ncols 1,4`).
    var columns = [1, 4]
    /// Kernel sets (`--paths scalar,avx2`); "avx2" means the best set the CPU has.
    var paths = ["scalar", "avx2"]
    /// Shapes as rows × row length (`--shapes 576x1536,1536x576`).
    var shapes = [(576, 1536), (1536, 576)]
    /// Reuse one matrix instead of cycling through 256 MiB of copies (`--cache`).
    var cacheOnly = false
    /// Where to write the JSON report (`--json PATH`; standard output when absent).
    var jsonPath: String?

    static func parse(_ arguments: ArraySlice<String>) -> BenchOptions {
        var o = BenchOptions()
        var it = arguments.makeIterator()
        func ints(_ s: String?) -> [Int] { (s ?? "").split(separator: ",").compactMap { Int($0) } }
        while let a = it.next() {
            switch a {
            case "--threads": o.threads = ints(it.next())
            case "--ncols": o.columns = ints(it.next())
            case "--paths": o.paths = (it.next() ?? "").split(separator: ",").map(String.init)
            case "--shapes":
                o.shapes = (it.next() ?? "").split(separator: ",").compactMap { s in
                    let p = s.split(separator: "x").compactMap { Int($0) }
                    return p.count == 2 && p[1] % 32 == 0 ? (p[0], p[1]) : nil
                }
            case "--cache": o.cacheOnly = true
            case "--json": o.jsonPath = it.next()
            default:
                FileHandle.standardError.write("""
                usage: veector-kernel-bench [--threads 1,2] [--ncols 1,4] [--paths scalar,avx2]
                                            [--shapes 576x1536,1536x576] [--cache] [--json PATH]
                unknown argument: \(a)\n
                """.data(using: .utf8)!)
                exit(2)
            }
        }
        if o.threads.isEmpty || o.columns.isEmpty || o.shapes.isEmpty || o.threads.contains(where: { $0 < 1 }) {
            FileHandle.standardError.write("veector-kernel-bench: --threads, --ncols and --shapes need positive values (shapes: ROWSxLENGTH, LENGTH a multiple of 32)\n".data(using: .utf8)!)
            exit(2)
        }
        return o
    }
}
