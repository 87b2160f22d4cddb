#ifndef VEECTOR_POOL_H
#define VEECTOR_POOL_H
/* A persistent pool of worker threads for splitting kernel work (row ranges) with a few microseconds
   of overhead per dispatch: workers spin briefly on a generation counter after each job, then park
   (futex on Linux, a condition variable elsewhere); chunks are claimed with one compare-and-swap each,
   so a worker that wakes late simply finds nothing left. The calling thread works too.
   Wrapped for Swift by ComputePool (Sources/VeectorEngine/Kernels/ComputePool.swift). */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vk_pool vk_pool;

/* Work for the range [begin, end) of a job; ctx is what vk_pool_run was given. */
typedef void (*vk_pool_task)(void *ctx, int64_t begin, int64_t end);

/* Makes a pool that runs jobs on `threads` threads in all: the caller plus threads-1 workers.
   spin_iterations: how long an idle worker polls before parking (0 = a default of ~50 µs).
   Returns NULL if threads < 1 or a thread could not be created. */
vk_pool *vk_pool_create(int threads, int spin_iterations);

/* Stops and joins the workers, then frees the pool. No job may be running. */
void vk_pool_destroy(vk_pool *pool);

/* Threads a job runs on (caller included). */
int vk_pool_threads(const vk_pool *pool);

/* The index in [0, threads) of the calling thread within `pool`: a worker's own index, or threads-1 for
   any other thread (the caller of vk_pool_run, whose calls are serialised). Lets a task use per-thread
   scratch memory without locking. */
int vk_pool_thread_index(const vk_pool *pool);
/* Runs task over [0, count) split into chunks of at least `grain` items, on every thread of the pool,
   and returns when all chunks are done. Calls from several threads are serialised; a call from inside
   a task (nested) runs the whole range inline on the calling thread. */
void vk_pool_run(vk_pool *pool, int64_t count, int64_t grain, vk_pool_task task, void *ctx);

/* Physical cores available to this process (hyperthread siblings counted once; at least 1). */
int vk_physical_cores(void);

#ifdef __cplusplus
}
#endif
#endif
