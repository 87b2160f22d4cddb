/* The int8 GEMM of VK_FAST for batches (prompt processing): Q4_0/Q4_1 weights × 8-bit activations with
   AVX2 vpmaddubsw/vpmaddwd, the same integer block sums as the per-row kernels and the reference
   (Σ q_w·q_x per 32-weight block, scales applied in f32), blocked for the caches.

   Layout. A thread's rows are cut into panels of VK_GEMM_PANEL rows; a panel is repacked into a scratch
   buffer as groups of 8 rows, per 32-weight block: the 8 rows' scales d (f32), their offsets m (f32: the
   Q4_1 minimum, or -8·d for Q4_0, whose weights are stored unsigned as q+8) and 256 bytes of weights in
   which 32-bit lane i of vector j holds row i's weights 4j…4j+3 as bytes 0…15. One vpmaddubsw of vector j
   with column c's activation bytes 4j…4j+3 broadcast to every lane gives 8 rows' partial sums at once, so
   the sums of a block for 8 rows × 1 column come out in one register, rows in lanes: no horizontal
   reduction, and the result is stored as 8 consecutive floats of y's column. The 8 vpmaddubsw results of
   a block are added in 16 bits (|15·127·2·8| = 30480 < 32768) before one vpmaddwd widens them.

   Order: for each panel (in L2), for each tile of VK_GEMM_COLS columns (their activations in L1), for each
   group of the panel: a micro-kernel of 8 rows × up to VK_GEMM_COLS columns over the whole row length.
   Rows past the last multiple of 8 go to the per-row kernel (fast_rows in kernels_avx2.c). */
#include "veector_kernels.h"
#include "kernels_internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VK_T __attribute__((target("avx2,fma,f16c")))
#define VK_I static inline __attribute__((always_inline, target("avx2,fma,f16c")))
#define VK_GEMM_PANEL 64
#ifndef VK_GEMM_COLS
#define VK_GEMM_COLS 2
#endif
#ifndef VK_GEMM_G
#define VK_GEMM_G 2
#endif
#define VK_GROUP_BLOCK_BYTES 320 /* 8 d + 8 m (f32) + 256 weight bytes */

/* ---- per-thread scratch for the packed panel -------------------------------------------------- */

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
typedef struct { size_t capacity; uint8_t *bytes; } scratch_buffer;

static void scratch_free(void *p) {
    scratch_buffer *s = p;
    if (s) { free(s->bytes); free(s); }
}
static void scratch_key_create(void) { pthread_key_create(&scratch_key, scratch_free); }

/* A 32-byte aligned buffer of at least `bytes`, owned by the calling thread (freed when it exits), or
   NULL when memory runs out. */
static uint8_t *thread_scratch(size_t bytes) {
    pthread_once(&scratch_once, scratch_key_create);
    scratch_buffer *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s) return NULL;
        pthread_setspecific(scratch_key, s);
    }
    if (s->capacity < bytes) {
        free(s->bytes);
        s->bytes = aligned_alloc(32, (bytes + 31) / 32 * 32);
        s->capacity = s->bytes ? bytes : 0;
    }
    return s->bytes;
}

/* ---- packing ------------------------------------------------------------------------------------ */

/* Transposes 8 vectors of 8 dwords: out[j] lane i = in[i] lane j. */
VK_I void transpose8(__m256i v[8]) {
    __m256i a0 = _mm256_unpacklo_epi32(v[0], v[1]), a1 = _mm256_unpackhi_epi32(v[0], v[1]);
    __m256i a2 = _mm256_unpacklo_epi32(v[2], v[3]), a3 = _mm256_unpackhi_epi32(v[2], v[3]);
    __m256i a4 = _mm256_unpacklo_epi32(v[4], v[5]), a5 = _mm256_unpackhi_epi32(v[4], v[5]);
    __m256i a6 = _mm256_unpacklo_epi32(v[6], v[7]), a7 = _mm256_unpackhi_epi32(v[6], v[7]);
    __m256i b0 = _mm256_unpacklo_epi64(a0, a2), b1 = _mm256_unpackhi_epi64(a0, a2);
    __m256i b2 = _mm256_unpacklo_epi64(a1, a3), b3 = _mm256_unpackhi_epi64(a1, a3);
    __m256i b4 = _mm256_unpacklo_epi64(a4, a6), b5 = _mm256_unpackhi_epi64(a4, a6);
    __m256i b6 = _mm256_unpacklo_epi64(a5, a7), b7 = _mm256_unpackhi_epi64(a5, a7);
    v[0] = _mm256_permute2x128_si256(b0, b4, 0x20);
    v[1] = _mm256_permute2x128_si256(b1, b5, 0x20);
    v[2] = _mm256_permute2x128_si256(b2, b6, 0x20);
    v[3] = _mm256_permute2x128_si256(b3, b7, 0x20);
    v[4] = _mm256_permute2x128_si256(b0, b4, 0x31);
    v[5] = _mm256_permute2x128_si256(b1, b5, 0x31);
    v[6] = _mm256_permute2x128_si256(b2, b6, 0x31);
    v[7] = _mm256_permute2x128_si256(b3, b7, 0x31);
}

/* Packs 8 rows starting at `rows` (Q4_0 or Q4_1, nb blocks each) into nb group blocks at `out`. */
VK_I void pack_group(vk_type T, const uint8_t *rows, size_t row_bytes, int64_t nb, uint8_t *out) {
    const __m128i mask = _mm_set1_epi8(0x0F);
    for (int64_t b = 0; b < nb; b++) {
        float *d = (float *)out, *m = d + 8;
        __m256i v[8];
        for (int i = 0; i < 8; i++) {
            const uint8_t *row = rows + (size_t)i * row_bytes;
            const uint8_t *qs;
            if (T == VK_Q4_1) {
                const vk_block_q4_1 *blk = (const vk_block_q4_1 *)row + b;
                d[i] = _cvtsh_ss(blk->d);
                m[i] = _cvtsh_ss(blk->m);
                qs = blk->qs;
            } else {
                const vk_block_q4_0 *blk = (const vk_block_q4_0 *)row + b;
                d[i] = _cvtsh_ss(blk->d);
                m[i] = -8.0f * d[i];
                qs = blk->qs;
            }
            __m128i t = _mm_loadu_si128((const __m128i *)qs);
            v[i] = _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(t, 4), mask), _mm_and_si128(t, mask));
        }
        transpose8(v);
        for (int j = 0; j < 8; j++) _mm256_store_si256((__m256i *)(out + 64 + 32 * j), v[j]);
        out += VK_GROUP_BLOCK_BYTES;
    }
}

/* ---- the micro-kernel --------------------------------------------------------------------------- */

/* G packed groups (8·G rows, `gs` bytes apart, nb blocks each) × NC columns of activations (nb blocks
   each, back to back): y[c * ys + 8h + i] for row i of group h. Each broadcast of 4 activation bytes
   feeds G vpmaddubsw; each weight vector feeds NC. The Q4_1 term m·Σx uses the activations' s = d·Σq. */
VK_I void micro(const uint8_t *g, size_t gs, int64_t nb, const vk_block_q8 *xq, int G, int NC, float *y, int64_t ys) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[VK_GEMM_G][VK_GEMM_COLS];
    for (int h = 0; h < G; h++)
        for (int c = 0; c < NC; c++) acc[h][c] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++, g += VK_GROUP_BLOCK_BYTES) {
        __m256i s[VK_GEMM_G][VK_GEMM_COLS];
#pragma clang loop unroll(full)
        for (int j = 0; j < 8; j++) {
            __m256i w[VK_GEMM_G];
            for (int h = 0; h < G; h++) w[h] = _mm256_load_si256((const __m256i *)(g + h * gs + 64 + 32 * j));
            for (int c = 0; c < NC; c++) {
                int32_t quad;
                memcpy(&quad, xq[c * nb + b].qs + 4 * j, 4);
                __m256i xv = _mm256_set1_epi32(quad);
                for (int h = 0; h < G; h++) {
                    __m256i p = _mm256_maddubs_epi16(w[h], xv);
                    s[h][c] = j == 0 ? p : _mm256_add_epi16(s[h][c], p);
                }
            }
        }
        for (int h = 0; h < G; h++) {
            __m256 dw = _mm256_load_ps((const float *)(g + h * gs)), mw = _mm256_load_ps((const float *)(g + h * gs) + 8);
            for (int c = 0; c < NC; c++) {
                const vk_block_q8 *xb = xq + c * nb + b;
                __m256 f = _mm256_cvtepi32_ps(_mm256_madd_epi16(s[h][c], ones));
                acc[h][c] = _mm256_fmadd_ps(_mm256_mul_ps(dw, _mm256_set1_ps(xb->d)), f, acc[h][c]);
                acc[h][c] = _mm256_fmadd_ps(mw, _mm256_set1_ps(xb->s), acc[h][c]);
            }
        }
    }
    for (int h = 0; h < G; h++)
        for (int c = 0; c < NC; c++) _mm256_storeu_ps(y + c * ys + 8 * h, acc[h][c]);
}

/* Groups g0…g1 of a packed panel × all columns, VK_GEMM_G groups and VK_GEMM_COLS columns at a time. */
VK_I void panel_product(const uint8_t *panel, size_t group_bytes, int64_t groups, int64_t nb, const vk_block_q8 *xq,
                        int64_t ncols, float *y, int64_t ys) {
    int64_t g = 0;
    for (; g < groups; g += VK_GEMM_G) {
        int G = groups - g < VK_GEMM_G ? (int)(groups - g) : VK_GEMM_G;
        const uint8_t *pg = panel + g * group_bytes;
        for (int64_t c0 = 0; c0 < ncols; c0 += VK_GEMM_COLS) {
            const vk_block_q8 *xc = xq + c0 * nb;
            int NC = ncols - c0 < VK_GEMM_COLS ? (int)(ncols - c0) : VK_GEMM_COLS;
            float *yg = y + c0 * ys + 8 * g;
            if (G == VK_GEMM_G && NC == VK_GEMM_COLS) { micro(pg, group_bytes, nb, xc, VK_GEMM_G, VK_GEMM_COLS, yg, ys); continue; }
            /* edges: leftover columns one at a time, leftover groups one at a time */
            if (G == VK_GEMM_G) {
                for (int c = 0; c < NC; c++) micro(pg, group_bytes, nb, xc + c * nb, VK_GEMM_G, 1, yg + c * ys, ys);
                continue;
            }
            if (NC == VK_GEMM_COLS) {
                for (int h = 0; h < G; h++) micro(pg + h * group_bytes, group_bytes, nb, xc, 1, VK_GEMM_COLS, yg + 8 * h, ys);
                continue;
            }
            for (int h = 0; h < G; h++)
                for (int c = 0; c < NC; c++)
                    micro(pg + h * group_bytes, group_bytes, nb, xc + c * nb, 1, 1, yg + c * ys + 8 * h, ys);
        }
    }
}

VK_I void gemm_rows(vk_type T, const void *w, int64_t n, const vk_block_q8 *xq, int64_t ncols,
                    float *y, int64_t ys, int64_t r0, int64_t r1, uint8_t *panel) {
    int64_t nb = n / 32;
    size_t rb = (size_t)nb * (T == VK_Q4_1 ? sizeof(vk_block_q4_1) : sizeof(vk_block_q4_0));
    size_t group_bytes = (size_t)nb * VK_GROUP_BLOCK_BYTES;
    for (int64_t p0 = r0; p0 < r1; p0 += VK_GEMM_PANEL) {
        int64_t groups = (r1 - p0 < VK_GEMM_PANEL ? r1 - p0 : VK_GEMM_PANEL) / 8;
        for (int64_t g = 0; g < groups; g++)
            pack_group(T, (const uint8_t *)w + (size_t)(p0 + 8 * g) * rb, rb, nb, panel + g * group_bytes);
        panel_product(panel, group_bytes, groups, nb, xq, ncols, y + p0, ys);
    }
}

VK_T static void gemm_q4_0(const void *w, int64_t n, const vk_block_q8 *x, int64_t nc, float *y, int64_t ys,
                           int64_t r0, int64_t r1, uint8_t *panel) { gemm_rows(VK_Q4_0, w, n, x, nc, y, ys, r0, r1, panel); }
VK_T static void gemm_q4_1(const void *w, int64_t n, const vk_block_q8 *x, int64_t nc, float *y, int64_t ys,
                           int64_t r0, int64_t r1, uint8_t *panel) { gemm_rows(VK_Q4_1, w, n, x, nc, y, ys, r0, r1, panel); }

int vk_avx2_gemm_q8(vk_type type, const void *w, int64_t n, const vk_block_q8 *xq, int64_t ncols,
                    float *y, int64_t ys, int64_t r0, int64_t r1) {
    if (type != VK_Q4_0 && type != VK_Q4_1) return -1;
    int64_t whole = r0 + (r1 - r0) / 8 * 8;
    if (whole > r0) {
        uint8_t *panel = thread_scratch((size_t)(VK_GEMM_PANEL / 8) * (size_t)(n / 32) * VK_GROUP_BLOCK_BYTES);
        if (!panel) return vk_avx2_matmul(type, w, n, NULL, xq, ncols, y, ys, r0, r1, VK_FAST); /* no memory */
        if (type == VK_Q4_1) gemm_q4_1(w, n, xq, ncols, y, ys, r0, whole, panel);
        else gemm_q4_0(w, n, xq, ncols, y, ys, r0, whole, panel);
    }
    if (whole < r1) return vk_avx2_matmul(type, w, n, NULL, xq, ncols, y, ys, whole, r1, VK_FAST);
    return 0;
}

#else
typedef int vk_gemm_avx2_unavailable; /* keeps this translation unit non-empty off x86-64 */
#endif
