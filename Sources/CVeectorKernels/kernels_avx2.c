/* The AVX2 + FMA + F16C kernel set (x86-64). Every function carries the target attribute itself, so the
   file builds with the baseline flags and nothing here runs unless kernels.c found the features with
   CPUID. Compared against reference.c by Tests/VeectorEngineTests/KernelTests.swift.

   Layout of the products: one weight row at a time, each 32-weight block loaded and expanded once and
   applied to up to VK_AVX2_COLS activation columns held in registers; more columns are done in further
   passes over the same row, which is then in L1, so weights stream from memory once per call. */
#include "veector_kernels.h"
#include "kernels_internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define VK_T __attribute__((target("avx2,fma,f16c")))
#define VK_I static inline __attribute__((always_inline, target("avx2,fma,f16c")))
#define VK_AVX2_COLS 4

VK_I float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    __m128 h = _mm_movehdup_ps(s);
    s = _mm_add_ps(s, h);
    h = _mm_movehl_ps(h, s);
    s = _mm_add_ss(s, h);
    return _mm_cvtss_f32(s);
}

VK_I float half_f32(uint16_t h) { return _cvtsh_ss(h); }

/* ---- activations to 8 bits ------------------------------------------------------------------- */

/* roundf (half away from zero) on 8 lanes, bit-identical to the reference's roundf. */
VK_I __m256 round_away(__m256 v) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m256 frac = _mm256_andnot_ps(sign, _mm256_sub_ps(v, t));
    __m256 up = _mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ);
    __m256 one = _mm256_or_ps(_mm256_and_ps(v, sign), _mm256_set1_ps(1.0f));
    return _mm256_add_ps(t, _mm256_and_ps(up, one));
}

VK_T void vk_avx2_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t b = 0; b < n / 32; b++) {
        const float *v = x + b * 32;
        __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8);
        __m256 v2 = _mm256_loadu_ps(v + 16), v3 = _mm256_loadu_ps(v + 24);
        __m256 am = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1)),
                                  _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(am), _mm256_extractf128_ps(am, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_movehdup_ps(m));
        float d = _mm_cvtss_f32(m) / 127.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        __m256 mul = _mm256_set1_ps(id);
        __m256i i0 = _mm256_cvtps_epi32(round_away(_mm256_mul_ps(v0, mul)));
        __m256i i1 = _mm256_cvtps_epi32(round_away(_mm256_mul_ps(v1, mul)));
        __m256i i2 = _mm256_cvtps_epi32(round_away(_mm256_mul_ps(v2, mul)));
        __m256i i3 = _mm256_cvtps_epi32(round_away(_mm256_mul_ps(v3, mul)));
        __m256i s32 = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
        __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s32), _mm256_extracti128_si256(s32, 1));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
        int sum = _mm_cvtsi128_si32(s4);
        /* packs work per 128-bit lane: 0..3 8..11 | 4..7 12..15 → then bytes; a dword permute fixes it */
        __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
        p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)y[b].qs, p);
        y[b].d = d;
        y[b].s = d * (float)sum;
    }
}

/* ---- weight blocks expanded in registers ---------------------------------------------------- */

/* 32 nibbles of a Q4 block as bytes 0…15 (weights 0…31 in order). */
VK_I __m256i nibbles(const uint8_t *qs) {
    __m128i t = _mm_loadu_si128((const __m128i *)qs);
    __m256i b = _mm256_set_m128i(_mm_srli_epi16(t, 4), t);
    return _mm256_and_si256(b, _mm256_set1_epi8(0x0F));
}

/* Σ over 32 lanes of u8 w × s8 x, as 8 partial int32 sums converted to float. */
VK_I __m256 dot_u8s8(__m256i w, __m256i x) {
    __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1));
    return _mm256_cvtepi32_ps(p);
}

/* The same for signed weights: |w| × (x with w's sign). */
VK_I __m256 dot_s8s8(__m256i w, __m256i x) { return dot_u8s8(_mm256_abs_epi8(w), _mm256_sign_epi8(x, w)); }

/* 8 bytes (low half of a 128-bit register) to 8 floats. */
VK_I __m256 u8_to_f32(__m128i b) { return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b)); }
VK_I __m256 s8_to_f32(__m128i b) { return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b)); }

/* The 32 weights starting at element k of a row, as floats: the same arithmetic as the reference
   dequantisation (a multiply then an add, never fused), so vk_dequantize_rows is bit-identical. */
VK_I void load32(vk_type T, const uint8_t *row, int64_t k, __m256 w[4]) {
    switch (T) {
    case VK_F32: {
        const float *p = (const float *)row + k;
        for (int j = 0; j < 4; j++) w[j] = _mm256_loadu_ps(p + 8 * j);
        break;
    }
    case VK_F16: {
        const uint16_t *p = (const uint16_t *)row + k;
        for (int j = 0; j < 4; j++) w[j] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 8 * j)));
        break;
    }
    case VK_BF16: {
        const uint16_t *p = (const uint16_t *)row + k;
        for (int j = 0; j < 4; j++) {
            __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p + 8 * j)));
            w[j] = _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
        }
        break;
    }
    case VK_Q4_0: {
        const vk_block_q4_0 *b = (const vk_block_q4_0 *)row + k / 32;
        __m256 d = _mm256_set1_ps(half_f32(b->d));
        __m128i t = _mm_loadu_si128((const __m128i *)b->qs), m = _mm_set1_epi8(0x0F), e = _mm_set1_epi8(8);
        __m128i lo = _mm_sub_epi8(_mm_and_si128(t, m), e), hi = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(t, 4), m), e);
        w[0] = _mm256_mul_ps(s8_to_f32(lo), d);
        w[1] = _mm256_mul_ps(s8_to_f32(_mm_srli_si128(lo, 8)), d);
        w[2] = _mm256_mul_ps(s8_to_f32(hi), d);
        w[3] = _mm256_mul_ps(s8_to_f32(_mm_srli_si128(hi, 8)), d);
        break;
    }
    case VK_Q4_1: {
        const vk_block_q4_1 *b = (const vk_block_q4_1 *)row + k / 32;
        __m256 d = _mm256_set1_ps(half_f32(b->d)), mn = _mm256_set1_ps(half_f32(b->m));
        __m128i t = _mm_loadu_si128((const __m128i *)b->qs), m = _mm_set1_epi8(0x0F);
        __m128i lo = _mm_and_si128(t, m), hi = _mm_and_si128(_mm_srli_epi16(t, 4), m);
        w[0] = _mm256_add_ps(_mm256_mul_ps(u8_to_f32(lo), d), mn);
        w[1] = _mm256_add_ps(_mm256_mul_ps(u8_to_f32(_mm_srli_si128(lo, 8)), d), mn);
        w[2] = _mm256_add_ps(_mm256_mul_ps(u8_to_f32(hi), d), mn);
        w[3] = _mm256_add_ps(_mm256_mul_ps(u8_to_f32(_mm_srli_si128(hi, 8)), d), mn);
        break;
    }
    case VK_Q8_0: {
        const vk_block_q8_0 *b = (const vk_block_q8_0 *)row + k / 32;
        __m256 d = _mm256_set1_ps(half_f32(b->d));
        __m128i a = _mm_loadu_si128((const __m128i *)b->qs), c = _mm_loadu_si128((const __m128i *)(b->qs + 16));
        w[0] = _mm256_mul_ps(s8_to_f32(a), d);
        w[1] = _mm256_mul_ps(s8_to_f32(_mm_srli_si128(a, 8)), d);
        w[2] = _mm256_mul_ps(s8_to_f32(c), d);
        w[3] = _mm256_mul_ps(s8_to_f32(_mm_srli_si128(c, 8)), d);
        break;
    }
    }
}

/* One element of a float-typed row (for the tail past the last multiple of 32). */
VK_I float load1(vk_type T, const uint8_t *row, int64_t k) {
    uint16_t h;
    switch (T) {
    case VK_F32: { float f; memcpy(&f, row + 4 * k, 4); return f; }
    case VK_F16: memcpy(&h, row + 2 * k, 2); return half_f32(h);
    case VK_BF16: { memcpy(&h, row + 2 * k, 2); uint32_t u = (uint32_t)h << 16; float f; memcpy(&f, &u, 4); return f; }
    default: return 0;
    }
}

VK_I size_t row_bytes(vk_type T, int64_t row_length) {
    switch (T) {
    case VK_F32: return (size_t)row_length * 4;
    case VK_F16: case VK_BF16: return (size_t)row_length * 2;
    case VK_Q4_0: return (size_t)(row_length / 32) * sizeof(vk_block_q4_0);
    case VK_Q4_1: return (size_t)(row_length / 32) * sizeof(vk_block_q4_1);
    case VK_Q8_0: return (size_t)(row_length / 32) * sizeof(vk_block_q8_0);
    }
    return 0;
}

/* ---- VK_EXACT: f32 activations × weights expanded to f32 ------------------------------------ */

VK_I void exact_row(vk_type T, const uint8_t *row, int64_t n, const float *x, int NC, float *out) {
    __m256 acc[VK_AVX2_COLS];
    for (int c = 0; c < NC; c++) acc[c] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 32 <= n; k += 32) {
        __m256 w[4];
        load32(T, row, k, w);
        for (int c = 0; c < NC; c++) {
            const float *xc = x + c * n + k;
            __m256 p = _mm256_fmadd_ps(w[1], _mm256_loadu_ps(xc + 8), _mm256_mul_ps(w[0], _mm256_loadu_ps(xc)));
            __m256 q = _mm256_fmadd_ps(w[3], _mm256_loadu_ps(xc + 24), _mm256_mul_ps(w[2], _mm256_loadu_ps(xc + 16)));
            acc[c] = _mm256_add_ps(acc[c], _mm256_add_ps(p, q));
        }
    }
    for (int c = 0; c < NC; c++) out[c] = hsum8(acc[c]);
    for (; k < n; k++) {
        float wk = load1(T, row, k);
        for (int c = 0; c < NC; c++) out[c] += wk * x[c * n + k];
    }
}

VK_I void exact_rows(vk_type T, const void *w, int64_t n, const float *x, int64_t ncols,
                     float *y, int64_t y_stride, int64_t r0, int64_t r1) {
    size_t rb = row_bytes(T, n);
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)w + (size_t)r * rb;
        for (int64_t c0 = 0; c0 < ncols; c0 += VK_AVX2_COLS) {
            float out[VK_AVX2_COLS];
            const float *xc = x + c0 * n;
            int64_t nc = ncols - c0 < VK_AVX2_COLS ? ncols - c0 : VK_AVX2_COLS;
            switch (nc) {
            case 1: exact_row(T, row, n, xc, 1, out); break;
            case 2: exact_row(T, row, n, xc, 2, out); break;
            case 3: exact_row(T, row, n, xc, 3, out); break;
            default: exact_row(T, row, n, xc, 4, out); break;
            }
            for (int64_t c = 0; c < nc; c++) y[(c0 + c) * y_stride + r] = out[c];
        }
    }
}

/* Quantised weights, VK_EXACT, with the block scale factored out: w = d·q (+ m for Q4_1), so a block
   contributes d·Σ q·x (+ m·Σ x). The integer weights q are exact in f32, so this is the dequantised
   product with its additions regrouped (rounding differs by a few ulps, not the arithmetic); it skips the
   per-weight multiply and add, which made the plain exact path compute-bound. Σ x per 32-block is
   computed once per call and column (xsum). */
VK_I void qblock(vk_type T, const uint8_t *row, int64_t i, __m256 q[4], float *d, float *m) {
    if (T == VK_Q8_0) {
        const vk_block_q8_0 *b = (const vk_block_q8_0 *)row + i;
        __m128i a = _mm_loadu_si128((const __m128i *)b->qs), c = _mm_loadu_si128((const __m128i *)(b->qs + 16));
        q[0] = s8_to_f32(a);
        q[1] = s8_to_f32(_mm_srli_si128(a, 8));
        q[2] = s8_to_f32(c);
        q[3] = s8_to_f32(_mm_srli_si128(c, 8));
        *d = half_f32(b->d);
        *m = 0;
        return;
    }
    const uint8_t *qs;
    if (T == VK_Q4_1) {
        const vk_block_q4_1 *b = (const vk_block_q4_1 *)row + i;
        qs = b->qs;
        *d = half_f32(b->d);
        *m = half_f32(b->m);
    } else {
        const vk_block_q4_0 *b = (const vk_block_q4_0 *)row + i;
        qs = b->qs;
        *d = half_f32(b->d);
        *m = 0;
    }
    __m128i t = _mm_loadu_si128((const __m128i *)qs), mask = _mm_set1_epi8(0x0F);
    __m128i lo = _mm_and_si128(t, mask), hi = _mm_and_si128(_mm_srli_epi16(t, 4), mask);
    if (T == VK_Q4_0) {
        const __m128i e = _mm_set1_epi8(8);
        lo = _mm_sub_epi8(lo, e);
        hi = _mm_sub_epi8(hi, e);
        q[0] = s8_to_f32(lo);
        q[1] = s8_to_f32(_mm_srli_si128(lo, 8));
        q[2] = s8_to_f32(hi);
        q[3] = s8_to_f32(_mm_srli_si128(hi, 8));
    } else {
        q[0] = u8_to_f32(lo);
        q[1] = u8_to_f32(_mm_srli_si128(lo, 8));
        q[2] = u8_to_f32(hi);
        q[3] = u8_to_f32(_mm_srli_si128(hi, 8));
    }
}

VK_I void exact_qrow(vk_type T, const uint8_t *row, int64_t nb, const float *x, int64_t n, const float *xsum,
                     int NC, float *out) {
    __m256 acc[VK_AVX2_COLS];
    float msum[VK_AVX2_COLS];
    for (int c = 0; c < NC; c++) { acc[c] = _mm256_setzero_ps(); msum[c] = 0; }
    for (int64_t i = 0; i < nb; i++) {
        __m256 q[4];
        float d, m;
        qblock(T, row, i, q, &d, &m);
        __m256 vd = _mm256_set1_ps(d);
        for (int c = 0; c < NC; c++) {
            const float *xc = x + c * n + i * 32;
            __m256 p = _mm256_fmadd_ps(q[1], _mm256_loadu_ps(xc + 8), _mm256_mul_ps(q[0], _mm256_loadu_ps(xc)));
            __m256 r = _mm256_fmadd_ps(q[3], _mm256_loadu_ps(xc + 24), _mm256_mul_ps(q[2], _mm256_loadu_ps(xc + 16)));
            acc[c] = _mm256_fmadd_ps(vd, _mm256_add_ps(p, r), acc[c]);
            if (T == VK_Q4_1) msum[c] += m * xsum[c * nb + i];
        }
    }
    for (int c = 0; c < NC; c++) out[c] = hsum8(acc[c]) + msum[c];
}

VK_I void exact_qrows(vk_type T, const void *w, int64_t n, const float *x, int64_t ncols,
                      float *y, int64_t y_stride, int64_t r0, int64_t r1) {
    int64_t nb = n / 32;
    size_t rb = row_bytes(T, n);
    float local[2048], *xsum = NULL;
    if (T == VK_Q4_1) {
        size_t needed = (size_t)(nb * ncols);
        xsum = needed <= sizeof local / sizeof local[0] ? local : malloc(needed * sizeof(float));
        if (!xsum) { exact_rows(T, w, n, x, ncols, y, y_stride, r0, r1); return; } /* no memory: the plain path */
        for (int64_t c = 0; c < ncols; c++)
            for (int64_t i = 0; i < nb; i++) {
                const float *v = x + c * n + i * 32;
                __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_loadu_ps(v), _mm256_loadu_ps(v + 8)),
                                         _mm256_add_ps(_mm256_loadu_ps(v + 16), _mm256_loadu_ps(v + 24)));
                xsum[c * nb + i] = hsum8(s);
            }
    }
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)w + (size_t)r * rb;
        for (int64_t c0 = 0; c0 < ncols; c0 += VK_AVX2_COLS) {
            float out[VK_AVX2_COLS];
            const float *xc = x + c0 * n, *sc = xsum ? xsum + c0 * nb : NULL;
            int64_t nc = ncols - c0 < VK_AVX2_COLS ? ncols - c0 : VK_AVX2_COLS;
            switch (nc) {
            case 1: exact_qrow(T, row, nb, xc, n, sc, 1, out); break;
            case 2: exact_qrow(T, row, nb, xc, n, sc, 2, out); break;
            case 3: exact_qrow(T, row, nb, xc, n, sc, 3, out); break;
            default: exact_qrow(T, row, nb, xc, n, sc, 4, out); break;
            }
            for (int64_t c = 0; c < nc; c++) y[(c0 + c) * y_stride + r] = out[c];
        }
    }
    if (xsum && xsum != local) free(xsum);
}

VK_T static void exact_f32(const void *w, int64_t n, const float *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { exact_rows(VK_F32, w, n, x, nc, y, ys, r0, r1); }
VK_T static void exact_f16(const void *w, int64_t n, const float *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { exact_rows(VK_F16, w, n, x, nc, y, ys, r0, r1); }
VK_T static void exact_bf16(const void *w, int64_t n, const float *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { exact_rows(VK_BF16, w, n, x, nc, y, ys, r0, r1); }
VK_T static void exact_q4_0(const void *w, int64_t n, const float *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { exact_qrows(VK_Q4_0, w, n, x, nc, y, ys, r0, r1); }
VK_T static void exact_q4_1(const void *w, int64_t n, const float *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { exact_qrows(VK_Q4_1, w, n, x, nc, y, ys, r0, r1); }
VK_T static void exact_q8_0(const void *w, int64_t n, const float *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { exact_qrows(VK_Q8_0, w, n, x, nc, y, ys, r0, r1); }

/* ---- VK_FAST: integer dot products with 8-bit activations ----------------------------------- */

/* One weight block (index i of the row) applied to NC columns of 8-bit activations. */
VK_I void fast_block(vk_type T, const uint8_t *row, int64_t i, int64_t nb, const vk_block_q8 *xq, int NC,
                     __m256 *acc, float *msum) {
    __m256i q;
    float d, m = 0;
    if (T == VK_Q4_1) {
        const vk_block_q4_1 *b = (const vk_block_q4_1 *)row + i;
        q = nibbles(b->qs);
        d = half_f32(b->d);
        m = half_f32(b->m);
    } else if (T == VK_Q4_0) {
        const vk_block_q4_0 *b = (const vk_block_q4_0 *)row + i;
        q = _mm256_sub_epi8(nibbles(b->qs), _mm256_set1_epi8(8));
        d = half_f32(b->d);
    } else {
        const vk_block_q8_0 *b = (const vk_block_q8_0 *)row + i;
        q = _mm256_loadu_si256((const __m256i *)b->qs);
        d = half_f32(b->d);
    }
    for (int c = 0; c < NC; c++) {
        const vk_block_q8 *xb = xq + c * nb + i;
        __m256i xv = _mm256_loadu_si256((const __m256i *)xb->qs);
        __m256 p = T == VK_Q4_1 ? dot_u8s8(q, xv) : dot_s8s8(q, xv);
        acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(d * xb->d), p, acc[c]);
        if (T == VK_Q4_1) msum[c] += m * xb->s;
    }
}

/* A row times NC columns. With one column the per-block work is too short to hide the FMA latency of a
   single accumulator, so even and odd blocks go to separate accumulators. */
VK_I void fast_row(vk_type T, const uint8_t *row, int64_t nb, const vk_block_q8 *xq, int NC, float *out) {
    __m256 acc[2][VK_AVX2_COLS];
    float msum[2][VK_AVX2_COLS];
    for (int u = 0; u < 2; u++)
        for (int c = 0; c < NC; c++) { acc[u][c] = _mm256_setzero_ps(); msum[u][c] = 0; }
    int64_t i = 0;
    if (NC == 1)
        for (; i + 2 <= nb; i += 2) {
            fast_block(T, row, i, nb, xq, NC, acc[0], msum[0]);
            fast_block(T, row, i + 1, nb, xq, NC, acc[1], msum[1]);
        }
    for (; i < nb; i++) fast_block(T, row, i, nb, xq, NC, acc[0], msum[0]);
    for (int c = 0; c < NC; c++) out[c] = hsum8(_mm256_add_ps(acc[0][c], acc[1][c])) + (msum[0][c] + msum[1][c]);
}

VK_I void fast_rows(vk_type T, const void *w, int64_t n, const vk_block_q8 *xq, int64_t ncols,
                    float *y, int64_t y_stride, int64_t r0, int64_t r1) {
    int64_t nb = n / 32;
    size_t rb = row_bytes(T, n);
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)w + (size_t)r * rb;
        for (int64_t c0 = 0; c0 < ncols; c0 += VK_AVX2_COLS) {
            float out[VK_AVX2_COLS];
            const vk_block_q8 *xc = xq + c0 * nb;
            int64_t nc = ncols - c0 < VK_AVX2_COLS ? ncols - c0 : VK_AVX2_COLS;
            switch (nc) {
            case 1: fast_row(T, row, nb, xc, 1, out); break;
            case 2: fast_row(T, row, nb, xc, 2, out); break;
            case 3: fast_row(T, row, nb, xc, 3, out); break;
            default: fast_row(T, row, nb, xc, 4, out); break;
            }
            for (int64_t c = 0; c < nc; c++) y[(c0 + c) * y_stride + r] = out[c];
        }
    }
}

VK_T static void fast_q4_0(const void *w, int64_t n, const vk_block_q8 *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { fast_rows(VK_Q4_0, w, n, x, nc, y, ys, r0, r1); }
VK_T static void fast_q4_1(const void *w, int64_t n, const vk_block_q8 *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { fast_rows(VK_Q4_1, w, n, x, nc, y, ys, r0, r1); }
VK_T static void fast_q8_0(const void *w, int64_t n, const vk_block_q8 *x, int64_t nc, float *y, int64_t ys, int64_t r0, int64_t r1) { fast_rows(VK_Q8_0, w, n, x, nc, y, ys, r0, r1); }

/* ---- entry points (arguments already checked by kernels.c) ----------------------------------- */

int vk_avx2_matmul(vk_type type, const void *w, int64_t n, const float *x, const vk_block_q8 *xq, int64_t ncols,
                   float *y, int64_t ys, int64_t r0, int64_t r1, vk_precision precision) {
    if (precision == VK_FAST) {
        if ((type == VK_Q4_0 || type == VK_Q4_1) && ncols >= VK_GEMM_MIN_COLS && r1 - r0 >= 8)
            return vk_avx2_gemm_q8(type, w, n, xq, ncols, y, ys, r0, r1);
        switch (type) {
        case VK_Q4_0: fast_q4_0(w, n, xq, ncols, y, ys, r0, r1); return 0;
        case VK_Q4_1: fast_q4_1(w, n, xq, ncols, y, ys, r0, r1); return 0;
        case VK_Q8_0: fast_q8_0(w, n, xq, ncols, y, ys, r0, r1); return 0;
        default: break;
        }
    }
    switch (type) {
    case VK_F32: exact_f32(w, n, x, ncols, y, ys, r0, r1); return 0;
    case VK_F16: exact_f16(w, n, x, ncols, y, ys, r0, r1); return 0;
    case VK_BF16: exact_bf16(w, n, x, ncols, y, ys, r0, r1); return 0;
    case VK_Q4_0: exact_q4_0(w, n, x, ncols, y, ys, r0, r1); return 0;
    case VK_Q4_1: exact_q4_1(w, n, x, ncols, y, ys, r0, r1); return 0;
    case VK_Q8_0: exact_q8_0(w, n, x, ncols, y, ys, r0, r1); return 0;
    }
    return -1;
}

VK_I void dequant_rows(vk_type T, const void *w, int64_t n, int64_t r0, int64_t r1, float *out) {
    size_t rb = row_bytes(T, n);
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = (const uint8_t *)w + (size_t)r * rb;
        float *o = out + (r - r0) * n;
        int64_t k = 0;
        for (; k + 32 <= n; k += 32) {
            __m256 v[4];
            load32(T, row, k, v);
            for (int j = 0; j < 4; j++) _mm256_storeu_ps(o + k + 8 * j, v[j]);
        }
        for (; k < n; k++) o[k] = load1(T, row, k);
    }
}

VK_T int vk_avx2_dequantize_rows(vk_type type, const void *w, int64_t n, int64_t r0, int64_t r1, float *out) {
    switch (type) {
    case VK_F32: dequant_rows(VK_F32, w, n, r0, r1, out); return 0;
    case VK_F16: dequant_rows(VK_F16, w, n, r0, r1, out); return 0;
    case VK_BF16: dequant_rows(VK_BF16, w, n, r0, r1, out); return 0;
    case VK_Q4_0: dequant_rows(VK_Q4_0, w, n, r0, r1, out); return 0;
    case VK_Q4_1: dequant_rows(VK_Q4_1, w, n, r0, r1, out); return 0;
    case VK_Q8_0: dequant_rows(VK_Q8_0, w, n, r0, r1, out); return 0;
    }
    return -1;
}

VK_T float vk_avx2_dot_f32(const float *a, const float *b, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float s = hsum8(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

VK_T void vk_avx2_axpy_f32(float a, const float *x, float *y, int64_t n) {
    __m256 va = _mm256_set1_ps(a);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] += a * x[i];
}

#else
typedef int vk_avx2_unavailable; /* keeps this translation unit non-empty off x86-64 */
#endif
