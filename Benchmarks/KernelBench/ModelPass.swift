import Foundation
import VeectorEngine

/// Every quantised matrix of a real GGUF model multiplied by one activation column (FAST), as one
/// generated token does (for SmolLM2: 210 Q4_1 projections plus the tied Q8_0 embedding used as the
/// output head): the matmul share of a token, and the tokens per second it alone would allow.
func modelPass(path: String, threads: [Int]) -> [[String: Any]] {
    let file: GGUFFile
    do { file = try GGUFFile(path: path) } catch {
        FileHandle.standardError.write("veector-kernel-bench: cannot open \(path): \(error)\n".data(using: .utf8)!)
        exit(1)
    }
    let tensors = file.tensors.filter { [.q4_0, .q4_1, .q8_0].contains($0.type) && $0.dimensions.count == 2 }
        .map { Tensor(name: $0.name, type: $0.type, dimensions: $0.dimensions, bytes: file.bytes(of: $0), owner: file) }
    let bytes = tensors.reduce(0) { $0 + $1.bytes.count }
    let longest = tensors.map(\.rowLength).max() ?? 0
    let rowsMax = tensors.map(\.rowCount).max() ?? 0
    var x = [Float](repeating: 0, count: longest)
    for i in x.indices { x[i] = Float(i % 17) / 17 - 0.5 }
    var y = [Float](repeating: 0, count: rowsMax)
    var out: [[String: Any]] = []
    for t in threads {
        let pool = try! ComputePool(threads: t)
        let timing = x.withUnsafeBufferPointer { input in
            y.withUnsafeMutableBufferPointer { output in
                measure(repeats: 20) {
                    for tensor in tensors {
                        try! Kernels.matmul(tensor: tensor, input: UnsafeBufferPointer(rebasing: input[0..<tensor.rowLength]),
                                            columns: 1, output: output, precision: .fast, pool: pool)
                    }
                }
            }
        }
        let idle = timing.cpu / Double(t)
        out.append(["kind": "model", "model": (path as NSString).lastPathComponent, "matrices": tensors.count,
                    "weight_bytes": bytes, "threads": t, "ms_per_token": timing.wall * 1e3,
                    "cpu_ms_per_token": timing.cpu * 1e3, "tokens_per_s": 1 / timing.wall,
                    "tokens_per_s_cpu_time": 1 / idle, "weight_gb_s_cpu_time": Double(bytes) / idle / 1e9])
        log("model \((path as NSString).lastPathComponent): " + String(format: "%d matrices, %.1f MB, threads %d: %.2f ms/token wall (%.0f tok/s); by CPU time %.2f ms (%.0f tok/s, %.1f GB/s)",
                   tensors.count, Double(bytes) / 1e6, t, timing.wall * 1e3,
                   1 / timing.wall, idle * 1e3, 1 / idle, Double(bytes) / idle / 1e9))
    }
    return out
}
