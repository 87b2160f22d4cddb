import Dispatch

/// Splits the non-BLAS work of a forward pass (bias, GELU, LayerNorm, attention) across the pass's
/// threads with `DispatchQueue.concurrentPerform`; with one thread everything runs inline.
enum BertParallel {
    /// Calls `body` on contiguous chunks of `0..<count`, one chunk per thread (inline when `threads` is 1
    /// or the work is too small to be worth splitting).
    static func rows(_ count: Int, threads: Int, minimumPerThread: Int = 8, _ body: @Sendable (Range<Int>) -> Void) {
        let workers = min(threads, max(1, count / max(1, minimumPerThread)))
        if workers <= 1 {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            body((count * w / workers)..<(count * (w + 1) / workers))
        }
    }

    /// Assigns items with the given costs to `workers` lists, largest first, each to the least loaded
    /// worker (longest-processing-time scheduling), so a long sequence does not leave a thread idle.
    static func balance(costs: [Int], workers: Int) -> [[Int]] {
        var lists = [[Int]](repeating: [], count: max(1, workers))
        var loads = [Int](repeating: 0, count: lists.count)
        for item in costs.indices.sorted(by: { costs[$0] > costs[$1] }) {
            let w = loads.indices.min { loads[$0] < loads[$1] }!
            lists[w].append(item)
            loads[w] += costs[item]
        }
        return lists
    }
}
