import CVeectorKernels
import Foundation
import Testing
import VeectorEngine
import VeectorTestSupport

/// Memory that a test `Tensor` points into, freed with the tensor's owner.
final class KernelTestBytes {
    let buffer: UnsafeMutableRawBufferPointer
    init(_ bytes: [UInt8]) {
        buffer = .allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }
    deinit { buffer.deallocate() }
    func tensor(_ name: String, _ type: GGMLType, _ dimensions: [Int], byteCount: Int? = nil) -> Tensor {
        Tensor(name: name, type: type, dimensions: dimensions,
               bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<(byteCount ?? buffer.count)]), owner: self)
    }
}

/// `Kernels` (the Swift wrapper over the C kernels) on `Tensor`s: same numbers as the C calls, with or
/// without a pool, typed errors for bad arguments, and the real SmolLM2 weights.
@Suite(.serialized) struct KernelWrapperTests {
    func randomQ4_1(rows: Int, rowLength: Int, seed: UInt64) -> (KernelTestBytes, Tensor) {
        var rng = SplitMix64(seed: seed)
        let bytes = KernelTestBytes(KernelTestData.weights(VK_Q4_1, rows: rows, rowLength: rowLength, &rng))
        return (bytes, bytes.tensor("test.q4_1", .q4_1, [rowLength, rows]))
    }

    @Test func wrapperPoolAndDirectCallsAgree() throws {
        let (owner, tensor) = randomQ4_1(rows: 577, rowLength: 576, seed: 9)
        var rng = SplitMix64(seed: 10)
        let columns = 4
        let x = KernelTestData.floats(columns * 576, &rng)
        let pool = try ComputePool(threads: 2)
        for precision in [KernelPrecision.exact, .fast] {
            var direct = [Float](repeating: 0, count: columns * 577)
            var xq = [vk_block_q8](repeating: vk_block_q8(), count: columns * 576 / 32)
            vk_quantize_row_q8(x, &xq, Int64(x.count))
            _ = vk_matmul(VK_Q4_1, owner.buffer.baseAddress, 576, x, xq, Int64(columns), &direct, 577, 0, 577, precision == .fast ? VK_FAST : VK_EXACT)
            var alone = [Float](repeating: .nan, count: columns * 577)
            var pooled = alone
            try x.withUnsafeBufferPointer { input in
                try alone.withUnsafeMutableBufferPointer { out in
                    try Kernels.matmul(tensor: tensor, input: input, columns: columns, output: out, precision: precision)
                }
                try pooled.withUnsafeMutableBufferPointer { out in
                    try Kernels.matmul(tensor: tensor, input: input, columns: columns, output: out, precision: precision, pool: pool)
                }
            }
            #expect(alone == direct)
            #expect(pooled == direct)
        }
        // Prepared activations give the same FAST product, for a sub-range of rows.
        let q = try QuantizedActivations(rowLength: 576, capacity: 8)
        try x.withUnsafeBufferPointer { try q.quantize($0, columns: columns) }
        var prepared = [Float](repeating: .nan, count: columns * 577)
        var inline = prepared
        try prepared.withUnsafeMutableBufferPointer { out in
            try Kernels.matmul(tensor: tensor, rows: 100..<301, quantized: q, output: out, pool: pool)
        }
        try x.withUnsafeBufferPointer { input in
            try inline.withUnsafeMutableBufferPointer { out in
                try Kernels.matmul(tensor: tensor, rows: 100..<301, input: input, columns: columns, output: out, precision: .fast)
            }
        }
        #expect(prepared.elementsEqual(inline) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(prepared[99].isNaN && !prepared[100].isNaN && prepared[301].isNaN)
    }

    @Test func badArgumentsThrowTypedErrors() throws {
        let (owner, tensor) = randomQ4_1(rows: 8, rowLength: 64, seed: 1)
        let x = [Float](repeating: 1, count: 256)
        var y = [Float](repeating: 0, count: 64)
        func run(_ t: Tensor, rows: Range<Int>? = nil, input: Int = 64, columns: Int = 1, output: Int = 8,
                 stride: Int? = nil) throws(KernelError) {
            try x.withUnsafeBufferPointer { (i: UnsafeBufferPointer<Float>) throws(KernelError) in
                try y.withUnsafeMutableBufferPointer { (o: inout UnsafeMutableBufferPointer<Float>) throws(KernelError) in
                    try Kernels.matmul(tensor: t, rows: rows, input: UnsafeBufferPointer(rebasing: i[0..<input]), columns: columns,
                                       output: UnsafeMutableBufferPointer(rebasing: o[0..<output]), outputStride: stride, precision: .exact)
                }
            }
        }
        try run(tensor)
        #expect(throws: KernelError.unsupportedType(tensor: "q5", type: .q5_0)) {
            try run(owner.tensor("q5", .q5_0, [64, 8]))
        }
        #expect(throws: KernelError.rowLengthNotBlockMultiple(tensor: "odd", rowLength: 48)) {
            try run(owner.tensor("odd", .q4_1, [48, 2]))
        }
        #expect(throws: KernelError.tensorTooSmall(tensor: "short", needed: 320, available: 100)) {
            try run(owner.tensor("short", .q4_1, [64, 8], byteCount: 100))
        }
        #expect(throws: KernelError.rowsOutOfRange(tensor: "test.q4_1", rows: 4..<9, rowCount: 8)) { try run(tensor, rows: 4..<9) }
        #expect(throws: KernelError.inputTooSmall(needed: 128, available: 64)) { try run(tensor, columns: 2, output: 16) }
        #expect(throws: KernelError.outputTooSmall(needed: 8, available: 7)) { try run(tensor, output: 7) }
        #expect(throws: KernelError.outputStrideTooSmall(stride: 4, rowsEnd: 8)) { try run(tensor, input: 128, columns: 2, stride: 4) }
        #expect(throws: KernelError.invalidColumnCount(0)) { try run(tensor, columns: 0) }
        let q = try QuantizedActivations(rowLength: 32, capacity: 1)
        try x.withUnsafeBufferPointer { try q.quantize($0, columns: 1) }
        #expect(throws: KernelError.activationsMismatch(rowLength: 32, expectedRowLength: 64, columns: 1, neededColumns: 1)) {
            try y.withUnsafeMutableBufferPointer { try Kernels.matmul(tensor: tensor, quantized: q, output: $0) }
        }
        #expect(throws: KernelError.rowLengthNotBlockMultiple(tensor: "activations", rowLength: 40)) {
            _ = try QuantizedActivations(rowLength: 40, capacity: 1)
        }
        #expect(KernelError.outputTooSmall(needed: 8, available: 7).description.contains("larger buffer"))
    }

    /// SmolLM2's real Q4_1 projections: EXACT within 1e-5 · Σ|w·x| of a Double product of weights
    /// dequantised by the Swift block code, FAST within the 8-bit activation rounding bound
    /// Σ_k |w_k| · amax(block of k) / 254 of EXACT.
    @Test(arguments: ["blk.0.attn_q.weight", "blk.0.ffn_down.weight", "blk.29.ffn_gate.weight"])
    func realSmolLM2Weights(name: String) throws {
        let path = repositoryRoot() + "/.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: path) else {
            print("KernelWrapperTests: \(path) is absent; run scripts/fetch-models.sh. Skipping.")
            return
        }
        let file = try GGUFFile(path: path)
        let info = try file.tensor(named: name)
        let tensor = Tensor(name: info.name, type: info.type, dimensions: info.dimensions, bytes: file.bytes(of: info), owner: file)
        #expect(tensor.type == .q4_1)
        let n = tensor.rowLength, rows = tensor.rowCount, columns = 3
        var rng = SplitMix64(seed: 2026)
        let x = KernelTestData.floats(columns * n, &rng)
        var exact = [Float](repeating: 0, count: columns * rows), fast = exact
        let pool = try ComputePool(threads: 2)
        try x.withUnsafeBufferPointer { input in
            try exact.withUnsafeMutableBufferPointer {
                try Kernels.matmul(tensor: tensor, input: input, columns: columns, output: $0, precision: .exact, pool: pool)
            }
            try fast.withUnsafeMutableBufferPointer {
                try Kernels.matmul(tensor: tensor, input: input, columns: columns, output: $0, precision: .fast, pool: pool)
            }
        }
        let rowBytes = n / 32 * 20
        for r in stride(from: 0, to: rows, by: 7) {
            let w = BlockQ4_1.dequantizeRow(UnsafeRawBufferPointer(rebasing: tensor.bytes[(r * rowBytes)..<((r + 1) * rowBytes)]))
            for c in 0..<columns {
                var dot = 0.0, scale = 0.0, bound = 0.0
                for k in 0..<n {
                    let xv = Double(x[c * n + k])
                    dot += Double(w[k]) * xv
                    scale += abs(Double(w[k]) * xv)
                }
                for b in 0..<(n / 32) {
                    let amax = (0..<32).map { abs(Double(x[c * n + b * 32 + $0])) }.max()!
                    for k in (b * 32)..<(b * 32 + 32) { bound += abs(Double(w[k])) * amax / 254 }
                }
                #expect(abs(Double(exact[c * rows + r]) - dot) <= 1e-5 * scale, "\(name) row \(r) column \(c)")
                #expect(abs(Double(fast[c * rows + r]) - Double(exact[c * rows + r])) <= bound + 1e-5 * scale,
                        "\(name) row \(r) column \(c): fast \(fast[c * rows + r]) exact \(exact[c * rows + r])")
            }
        }
    }
}
