/* The compute pool behind ComputePool (see veector_pool.h for the contract).

   One job at a time. The caller writes the job's fields, then publishes a claim word
   (generation << 32 | chunk count << 16 | next chunk) with release order, then bumps `gen` (the word
   idle workers watch) and wakes parked workers only if some are parked. Any thread claims a chunk with
   one compare-and-swap on the claim word; a successful acquire-CAS proves the job is still live (its
   last chunk is not done), so the fields it then reads are that job's. The caller returns when `done`
   reaches the chunk count. A worker that wakes after all chunks are claimed finds nothing and goes
   back to waiting: nobody waits for late workers. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "veector_pool.h"
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define VK_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define VK_PAUSE() __asm__ __volatile__("yield")
#else
#define VK_PAUSE() ((void)0)
#endif

#define VK_MAX_CHUNKS 0xFFFF
#define VK_DEFAULT_SPIN 2000 /* pause instructions, ≈ 40–60 µs on current x86 cores */

struct vk_pool {
    int threads;
    int spin;
    pthread_t *workers;
    pthread_mutex_t run_lock; /* serialises vk_pool_run */
    /* the current job: written by the caller before the claim word is published */
    vk_pool_task task;
    void *ctx;
    int64_t count;
    int64_t chunk;
    uint32_t last_gen;        /* only touched under run_lock */
    _Alignas(64) uint64_t claim;
    _Alignas(64) int64_t done;
    _Alignas(64) uint32_t gen;
    uint32_t sleepers;
    int stop;
    int next_index;           /* hands each worker its index as it starts */
#if !defined(__linux__)
    pthread_mutex_t park_lock;
    pthread_cond_t park_cond;
#endif
};

static _Thread_local int inside_pool = 0;
/* The pool this thread is a worker of (NULL on other threads) and its index there. */
static _Thread_local const vk_pool *own_pool = NULL;
static _Thread_local int own_index = 0;

static void park(vk_pool *p, uint32_t seen) {
#if defined(__linux__)
    syscall(SYS_futex, &p->gen, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
#else
    pthread_mutex_lock(&p->park_lock);
    while (__atomic_load_n(&p->gen, __ATOMIC_SEQ_CST) == seen && !__atomic_load_n(&p->stop, __ATOMIC_SEQ_CST))
        pthread_cond_wait(&p->park_cond, &p->park_lock);
    pthread_mutex_unlock(&p->park_lock);
#endif
}

static void wake_all(vk_pool *p) {
#if defined(__linux__)
    syscall(SYS_futex, &p->gen, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    pthread_mutex_lock(&p->park_lock);
    pthread_cond_broadcast(&p->park_cond);
    pthread_mutex_unlock(&p->park_lock);
#endif
}

/* Waits until `gen` moves past *seen; returns 0 when the pool is stopping. */
static int wait_for_job(vk_pool *p, uint32_t *seen) {
    for (int i = 0; i < p->spin; i++) {
        if (__atomic_load_n(&p->gen, __ATOMIC_ACQUIRE) != *seen) goto ready;
        VK_PAUSE();
    }
    __atomic_fetch_add(&p->sleepers, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&p->gen, __ATOMIC_SEQ_CST) == *seen && !__atomic_load_n(&p->stop, __ATOMIC_SEQ_CST))
        park(p, *seen);
    __atomic_fetch_sub(&p->sleepers, 1, __ATOMIC_SEQ_CST);
ready:
    *seen = __atomic_load_n(&p->gen, __ATOMIC_ACQUIRE);
    return !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE);
}

/* Claims and runs chunks of the live job until none is left. */
static void help(vk_pool *p) {
    uint64_t v = __atomic_load_n(&p->claim, __ATOMIC_RELAXED);
    for (;;) {
        uint64_t n = (v >> 16) & 0xFFFF, idx = v & 0xFFFF;
        if (idx >= n) return;
        if (!__atomic_compare_exchange_n(&p->claim, &v, v + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) continue;
        int64_t begin = (int64_t)idx * p->chunk;
        int64_t end = begin + p->chunk < p->count ? begin + p->chunk : p->count;
        p->task(p->ctx, begin, end);
        __atomic_fetch_add(&p->done, 1, __ATOMIC_RELEASE);
        v = __atomic_load_n(&p->claim, __ATOMIC_RELAXED);
    }
}

static void *worker_main(void *arg) {
    vk_pool *p = arg;
    inside_pool = 1;
    own_pool = p;
    own_index = __atomic_fetch_add(&p->next_index, 1, __ATOMIC_RELAXED);
    uint32_t seen = 0;
    while (wait_for_job(p, &seen)) help(p);
    return NULL;
}

vk_pool *vk_pool_create(int threads, int spin_iterations) {
    if (threads < 1) return NULL;
    vk_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->threads = threads;
    p->spin = spin_iterations > 0 ? spin_iterations : VK_DEFAULT_SPIN;
    pthread_mutex_init(&p->run_lock, NULL);
#if !defined(__linux__)
    pthread_mutex_init(&p->park_lock, NULL);
    pthread_cond_init(&p->park_cond, NULL);
#endif
    p->workers = calloc((size_t)threads, sizeof(pthread_t));
    if (!p->workers) { free(p); return NULL; }
    for (int i = 0; i < threads - 1; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) {
            p->threads = i + 1; /* stop the ones already running */
            vk_pool_destroy(p);
            return NULL;
        }
    }
    return p;
}

void vk_pool_destroy(vk_pool *p) {
    if (!p) return;
    __atomic_store_n(&p->stop, 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&p->gen, 1, __ATOMIC_SEQ_CST);
    wake_all(p);
    for (int i = 0; i < p->threads - 1; i++) pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->run_lock);
#if !defined(__linux__)
    pthread_mutex_destroy(&p->park_lock);
    pthread_cond_destroy(&p->park_cond);
#endif
    free(p->workers);
    free(p);
}

int vk_pool_threads(const vk_pool *p) { return p ? p->threads : 1; }

int vk_pool_thread_index(const vk_pool *p) {
    if (!p) return 0;
    return own_pool == p ? own_index : p->threads - 1;
}

void vk_pool_run(vk_pool *p, int64_t count, int64_t grain, vk_pool_task task, void *ctx) {
    if (count <= 0) return;
    if (grain < 1) grain = 1;
    if (!p || p->threads == 1 || inside_pool || count <= grain) { task(ctx, 0, count); return; }
    int64_t chunk = (count + p->threads * 4 - 1) / (p->threads * 4);
    if (chunk < grain) chunk = grain;
    if ((count + chunk - 1) / chunk > VK_MAX_CHUNKS) chunk = (count + VK_MAX_CHUNKS - 1) / VK_MAX_CHUNKS;
    int64_t n = (count + chunk - 1) / chunk;

    pthread_mutex_lock(&p->run_lock);
    inside_pool = 1;
    p->task = task;
    p->ctx = ctx;
    p->count = count;
    p->chunk = chunk;
    __atomic_store_n(&p->done, 0, __ATOMIC_RELAXED);
    uint32_t g = ++p->last_gen;
    __atomic_store_n(&p->claim, ((uint64_t)g << 32) | ((uint64_t)n << 16), __ATOMIC_RELEASE);
    __atomic_store_n(&p->gen, g, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&p->sleepers, __ATOMIC_SEQ_CST) > 0) wake_all(p);
    help(p);
    for (unsigned spins = 0; __atomic_load_n(&p->done, __ATOMIC_ACQUIRE) < n; spins++) {
        if (spins < 4096) VK_PAUSE();
        else sched_yield(); /* a worker holding a chunk was descheduled */
    }
    inside_pool = 0;
    pthread_mutex_unlock(&p->run_lock);
}

int vk_physical_cores(void) {
    int cores = 0;
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        long seen[CPU_SETSIZE];
        int unique = 0;
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (!CPU_ISSET(cpu, &set)) continue;
            char path[96];
            long core = cpu, package = 0;
            snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
            FILE *f = fopen(path, "r");
            if (f) { if (fscanf(f, "%ld", &core) != 1) core = cpu; fclose(f); }
            snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
            f = fopen(path, "r");
            if (f) { if (fscanf(f, "%ld", &package) != 1) package = 0; fclose(f); }
            long key = package * 1000003L + core;
            int found = 0;
            for (int i = 0; i < unique; i++) if (seen[i] == key) { found = 1; break; }
            if (!found) seen[unique++] = key;
        }
        cores = unique;
    }
#elif defined(__APPLE__)
    int n = 0;
    size_t len = sizeof n;
    if (sysctlbyname("hw.physicalcpu", &n, &len, NULL, 0) == 0) cores = n;
#endif
    if (cores < 1) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        cores = online > 0 ? (int)online : 1;
    }
    return cores;
}
