import Foundation
import Testing
import VeectorEngine

/// ComputePool: every index covered exactly once, chunks no smaller than the grain, repeated and
/// concurrent dispatches, nested calls, bad sizes refused.
@Suite struct KernelComputePoolTests {
    /// Runs `count` items and returns how many times each index was visited and the chunks seen.
    func visit(_ pool: ComputePool, count: Int, grain: Int) -> (visits: [Int], chunks: [Range<Int>]) {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        let lock = NSLock()
        var chunks: [Range<Int>] = []
        pool.parallelFor(count: count, grain: grain) { range in
            for i in range { visits[i] += 1 }
            lock.lock(); chunks.append(range); lock.unlock()
        }
        return (Array(visits.prefix(count)), chunks.sorted { $0.lowerBound < $1.lowerBound })
    }

    @Test(arguments: [1, 2, 3])
    func everyIndexExactlyOnce(threads: Int) throws {
        let pool = try ComputePool(threads: threads)
        #expect(pool.threadCount == threads)
        for (count, grain) in [(0, 1), (1, 1), (2, 1), (17, 4), (576, 16), (1536, 1), (100_000, 1), (1000, 2000)] {
            let (visits, chunks) = visit(pool, count: count, grain: grain)
            #expect(visits.allSatisfy { $0 == 1 }, "count \(count) grain \(grain)")
            var next = 0
            for (i, c) in chunks.enumerated() {
                #expect(c.lowerBound == next)
                #expect(c.count >= min(grain, count) || i == chunks.count - 1, "chunk \(c) below grain \(grain)")
                next = c.upperBound
            }
            #expect(next == count)
        }
    }

    /// Thousands of back-to-back jobs (workers spinning) and jobs after idle gaps (workers parked).
    @Test func repeatedDispatchesAccumulateCorrectly() throws {
        let pool = try ComputePool(threads: 2)
        let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 576)
        sums.initialize(repeating: 0)
        defer { sums.deallocate() }
        for round in 0..<5000 {
            pool.parallelFor(count: 576, grain: 8) { range in for i in range { sums[i] += round } }
        }
        for _ in 0..<5 {
            usleep(2000) // long enough for the workers to park
            pool.parallelFor(count: 576, grain: 8) { range in for i in range { sums[i] += 1 } }
        }
        #expect(sums.allSatisfy { $0 == 4999 * 5000 / 2 + 5 })
    }

    /// Two threads dispatching to one pool take turns; a nested call runs inline.
    @Test func concurrentAndNestedCalls() async throws {
        let pool = try ComputePool(threads: 2)
        let totals = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<2 {
                group.addTask {
                    let cells = UnsafeMutableBufferPointer<Int>.allocate(capacity: 300)
                    cells.initialize(repeating: 0)
                    defer { cells.deallocate() }
                    for _ in 0..<500 {
                        pool.parallelFor(count: 300, grain: 10) { r in for i in r { cells[i] += caller + 1 } }
                    }
                    return cells.reduce(0, +)
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
        }
        #expect(totals == [300 * 500, 2 * 300 * 500])

        let inner = UnsafeMutableBufferPointer<Int>.allocate(capacity: 40 * 40)
        inner.initialize(repeating: 0)
        defer { inner.deallocate() }
        pool.parallelFor(count: 40) { outer in
            for o in outer {
                pool.parallelFor(count: 40) { r in for i in r { inner[o * 40 + i] += 1 } }
            }
        }
        #expect(inner.allSatisfy { $0 == 1 })
    }

    @Test func badSizesAreRefused() {
        #expect(throws: KernelError.poolCreationFailed(threads: 0)) { _ = try ComputePool(threads: 0) }
        #expect(throws: KernelError.poolCreationFailed(threads: -3)) { _ = try ComputePool(threads: -3) }
        #expect(ComputePool.physicalCores >= 1)
        #expect(ComputePool.physicalCores <= ProcessInfo.processInfo.activeProcessorCount)
    }
}
