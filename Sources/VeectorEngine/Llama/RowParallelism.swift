import Dispatch
import Foundation

/// The one place where a forward pass splits independent rows of work across threads, so the split can
/// move to the engine's shared compute pool without touching the model code.
enum RowParallelism {
    /// Threads to split across (the processor count; 1 turns splitting off).
    nonisolated(unsafe) static var threadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on disjoint row ranges covering `0..<rows`, concurrently when `work` (a rough
    /// count of multiply-adds) is large enough to pay for the threads. `body` must only write
    /// outputs belonging to its rows.
    static func forEachRange(rows: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(threadCount, rows, work >= 1 << 17 ? threadCount : 1)
        if parts <= 1 { body(0..<rows); return }
        withoutActuallyEscaping(body) { body in
            let task = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let begin = rows * part / parts, end = rows * (part + 1) / parts
                task.value(begin..<end)
            }
        }
    }
}

/// Carries a non-Sendable value into `concurrentPerform`, whose iterations only touch disjoint data.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
