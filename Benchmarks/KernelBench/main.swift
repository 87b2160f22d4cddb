// veector-kernel-bench: throughput of the engine's matrix-product kernels (GB/s of weights streamed,
// GFLOP/s) per kernel set, precision, shape, column count and thread count, next to the machine's
// memory read bandwidth, as JSON. See Docs/benchmarks.md ("Compute kernels") for figures and usage.
import CVeectorKernels
import Foundation
import VeectorEngine

let options = BenchOptions.parse(CommandLine.arguments.dropFirst())
var results: [[String: Any]] = []

func log(_ s: String) { FileHandle.standardError.write((s + "\n").data(using: .utf8)!) }

log("veector-kernel-bench: kernels \(Kernels.name), cpu \(cpuModelName()), physical cores \(ComputePool.physicalCores)")

// Memory bandwidth: one streaming read (dot of a buffer with itself reads each line once) and memcpy.
let bandwidthBytes = 512 << 20
let big = UnsafeMutableBufferPointer<Float>.allocate(capacity: bandwidthBytes / 4)
big.initialize(repeating: 1)
let copyTarget = UnsafeMutableBufferPointer<Float>.allocate(capacity: bandwidthBytes / 8)
for threads in options.threads {
    let pool = try! ComputePool(threads: threads)
    let n = big.count
    let read = measure(repeats: 5) {
        pool.parallelFor(count: threads, grain: 1) { part in
            for t in part {
                let lo = n / threads * t, hi = t == threads - 1 ? n : n / threads * (t + 1)
                blackHole(vk_dot_f32(big.baseAddress! + lo, big.baseAddress! + lo, Int64(hi - lo)))
            }
        }
    }
    let half = copyTarget.count
    let copy = measure(repeats: 5) {
        pool.parallelFor(count: threads, grain: 1) { part in
            for t in part {
                let lo = half / threads * t, hi = t == threads - 1 ? half : half / threads * (t + 1)
                memcpy(copyTarget.baseAddress! + lo, big.baseAddress! + lo, (hi - lo) * 4)
            }
        }
    }
    let dispatch = measure(repeats: 20_000) { pool.parallelFor(count: 576, grain: 16) { blackHole($0.count) } }
    results.append(["kind": "memory", "threads": threads, "read_gb_s": Double(bandwidthBytes) / read / 1e9,
                    "memcpy_gb_s": Double(half * 4 * 2) / copy / 1e9, "pool_dispatch_us": dispatch * 1e6])
    log(String(format: "memory  threads %d: read %.1f GB/s, memcpy (read+write) %.1f GB/s, pool dispatch %.2f µs",
               threads, Double(bandwidthBytes) / read / 1e9, Double(half * 4 * 2) / copy / 1e9, dispatch * 1e6))
}
big.deallocate()
copyTarget.deallocate()

// Q4_1 products. "dram": the weights cycle through copies totalling 256 MiB, far above the L3, as a
// forward pass over a whole model does; "cache": one matrix, reused (L2/L3 resident).
for shape in options.shapes {
    let (rows, rowLength) = shape
    let matrixBytes = rows * rowLength / 32 * 20
    let copies = options.cacheOnly ? 1 : max(1, (256 << 20) / matrixBytes)
    let weights = UnsafeMutableRawBufferPointer.allocate(byteCount: matrixBytes * copies, alignment: 64)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for i in 0..<weights.count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        weights[i] = UInt8(truncatingIfNeeded: state >> 56)
    }
    for b in 0..<(weights.count / 20) { weights.storeBytes(of: 0x2400 as UInt16, toByteOffset: b * 20, as: UInt16.self); weights.storeBytes(of: 0xA400 as UInt16, toByteOffset: b * 20 + 2, as: UInt16.self) }
    let tensors = (0..<copies).map { c in
        Tensor(name: "bench", type: .q4_1, dimensions: [rowLength, rows],
               bytes: UnsafeRawBufferPointer(rebasing: weights[(c * matrixBytes)..<((c + 1) * matrixBytes)]), owner: nil)
    }
    for ncols in options.columns {
        let x = (0..<(ncols * rowLength)).map { _ in Float.random(in: -1...1) }
        var y = [Float](repeating: 0, count: ncols * rows)
        let q = try! QuantizedActivations(rowLength: rowLength, capacity: ncols)
        try! x.withUnsafeBufferPointer { try q.quantize($0, columns: ncols) }
        for path in options.paths {
            Kernels.forceScalar(path == "scalar")
            for precision in [KernelPrecision.fast, .exact] {
                for threads in options.threads {
                    let pool = try! ComputePool(threads: threads)
                    var next = 0
                    let calls = path == "scalar" ? max(8, copies / 8) : copies * 2
                    let seconds = x.withUnsafeBufferPointer { input in
                        y.withUnsafeMutableBufferPointer { out in
                            measure(repeats: calls) {
                                let t = tensors[next % copies]
                                next += 1
                                if precision == .fast {
                                    try! Kernels.matmul(tensor: t, quantized: q, output: out, pool: pool)
                                } else {
                                    try! Kernels.matmul(tensor: t, input: input, columns: ncols, output: out, precision: .exact, pool: pool)
                                }
                            }
                        }
                    }
                    let gbs = Double(matrixBytes) / seconds / 1e9
                    let gflops = 2.0 * Double(rows * rowLength * ncols) / seconds / 1e9
                    results.append(["kind": "matmul", "type": "Q4_1", "rows": rows, "row_length": rowLength,
                                    "ncols": ncols, "path": path, "precision": precision == .fast ? "fast" : "exact",
                                    "threads": threads, "weights": copies > 1 ? "dram" : "cache",
                                    "us_per_call": seconds * 1e6, "weight_gb_s": gbs, "gflop_s": gflops])
                    log("Q4_1 \(rows)x\(rowLength) ncols \(ncols) \(path) \(precision == .fast ? "fast " : "exact") threads \(threads): "
                        + String(format: "%8.1f µs  %6.2f GB/s  %6.2f GFLOP/s", seconds * 1e6, gbs, gflops))
                }
            }
        }
        Kernels.forceScalar(false)
    }
    weights.deallocate()
}

let report: [String: Any] = [
    "tool": "veector-kernel-bench", "date": ISO8601DateFormatter().string(from: Date()),
    "cpu": cpuModelName(), "kernels": Kernels.name, "physical_cores": ComputePool.physicalCores,
    "results": results,
]
let json = try! JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
if let path = options.jsonPath {
    _ = FileManager.default.createFile(atPath: path, contents: json)
    log("wrote \(path)")
} else {
    FileHandle.standardOutput.write(json)
    print()
}
