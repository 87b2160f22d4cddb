import COpenBLAS
import CVeectorKernels

/// A persistent pool of worker threads that splits kernel work (row ranges of a matrix product) with a
/// few microseconds of overhead per dispatch: a SmolLM2 token is ~210 products, so per-call thread
/// creation, GCD or task spawning would cost more than the work.
///
/// The pool owns `threadCount - 1` POSIX threads; the calling thread is the last worker. After a job an
/// idle worker polls for ~50 µs (so back-to-back products in a forward pass find it awake), then parks
/// on a futex (a condition variable outside Linux) and costs nothing. Work is cut into chunks that any
/// thread claims with one atomic compare-and-swap, so a late-waking worker delays nobody.
///
/// **OpenBLAS.** OpenBLAS keeps its own thread pool. Either call `cblas_sgemm` inside `parallelFor`
/// bodies after `openblas_set_num_threads(1)` (what the llama batch path does: each thread multiplies its
/// own piece, with scratch memory picked by `threadIndex`), or call it from the pool's *caller* after
/// `configureOpenBLAS()`, which sets `openblas_set_num_threads(threadCount)`: OpenBLAS then uses the same
/// cores while our workers, idle during sgemm, finish their short poll and park. Never let both pools
/// run work at the same time.
public final class ComputePool: @unchecked Sendable {
    /// Threads a job runs on, the caller included.
    public let threadCount: Int
    private let pool: OpaquePointer

    /// Physical cores this process may run on (hyperthread siblings counted once): the default size.
    public static var physicalCores: Int { Int(vk_physical_cores()) }

    /// Starts a pool of `threads` threads in all (default: physical cores, as `--threads` does when absent).
    public init(threads: Int? = nil) throws(KernelError) {
        let count = threads ?? Self.physicalCores
        guard count >= 1, count <= 1024, let pool = vk_pool_create(Int32(count), 0) else {
            throw .poolCreationFailed(threads: count)
        }
        self.threadCount = count
        self.pool = pool
    }

    deinit { vk_pool_destroy(pool) }

    /// Calls `body` with disjoint ranges that together cover `0..<count`, each at least `grain` long (but
    /// the last), concurrently on the pool's threads, and returns when all are done. `body` must only write
    /// memory its range owns. Calls from several threads take turns; a call from inside `body` runs inline.
    public func parallelFor(count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        withoutActuallyEscaping(body) { escapable in
            var closure = escapable
            withUnsafeMutablePointer(to: &closure) { context in
                vk_pool_run(pool, Int64(count), Int64(max(grain, 1)), { context, begin, end in
                    let body = context!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee
                    body(Int(begin)..<Int(end))
                }, UnsafeMutableRawPointer(context))
            }
        }
    }

    /// The index in `0..<threadCount` of the thread running this code within a `parallelFor` body (the
    /// caller's is `threadCount - 1`): for per-thread scratch memory that needs no lock.
    public var threadIndex: Int { Int(vk_pool_thread_index(pool)) }

    /// Tells OpenBLAS to use as many threads as this pool, for sgemm called from the pool's caller.
    public func configureOpenBLAS() {
        openblas_set_num_threads(Int32(threadCount))
    }
}
