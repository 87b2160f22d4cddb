/* BERT row operations (veector_bert_kernels.h): a scalar path that builds everywhere and an AVX2 + FMA
   path chosen at run time from CPUID. The AVX2 functions carry the target attribute themselves, so this
   file is compiled without -march. Softmax reuses the engine's vk_softmax_f32 (its own dispatch). */
#include "veector_bert_kernels.h"
#include "veector_kernels.h"
#include "veector_support.h"
#include <math.h>

enum { BERT_UNKNOWN = 0, BERT_SCALAR = 1, BERT_AVX2 = 2 };
static int bert_detected = BERT_UNKNOWN; /* accessed with __atomic builtins */
static int bert_force_scalar = 0;

static int bert_set(void) {
    if (__atomic_load_n(&bert_force_scalar, __ATOMIC_RELAXED)) return BERT_SCALAR;
    int set = __atomic_load_n(&bert_detected, __ATOMIC_RELAXED);
    if (set == BERT_UNKNOWN) {
        set = BERT_SCALAR;
#if defined(__x86_64__)
        veector_cpu_features f;
        veector_cpu_features_read(&f);
        if (f.avx2 && f.fma && f.os_saves_avx) set = BERT_AVX2;
#endif
        __atomic_store_n(&bert_detected, set, __ATOMIC_RELAXED);
    }
    return set;
}

const char *vk_bert_kernels_name(void) { return bert_set() == BERT_AVX2 ? "avx2+fma" : "scalar"; }

void vk_bert_force_scalar(int force) { __atomic_store_n(&bert_force_scalar, force != 0, __ATOMIC_RELAXED); }

/* ---- scalar paths ---- */

static void gelu_scalar(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

static void layernorm_scalar(float *x, const float *residual, int64_t rows, int64_t width, int64_t ld,
                             const float *gamma, const float *beta, float epsilon) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = x + r * ld;
        if (residual) for (int64_t j = 0; j < width; j++) row[j] += residual[r * ld + j];
        float sum = 0;
        for (int64_t j = 0; j < width; j++) sum += row[j];
        float mean = sum / (float)width, squares = 0;
        for (int64_t j = 0; j < width; j++) squares += (row[j] - mean) * (row[j] - mean);
        float inverse = 1.0f / sqrtf(squares / (float)width + epsilon);
        for (int64_t j = 0; j < width; j++) row[j] = (row[j] - mean) * inverse * gamma[j] + beta[j];
    }
}

static void attention_scalar(const float *q, const float *k, const float *v, int64_t ld, int64_t length,
                             int64_t d, float scale, float *scores, float *out, int64_t ld_out) {
    for (int64_t i = 0; i < length; i++) {
        for (int64_t j = 0; j < length; j++) {
            float dot = 0;
            for (int64_t c = 0; c < d; c++) dot += q[i * ld + c] * k[j * ld + c];
            scores[j] = scale * dot;
        }
        vk_softmax_f32(scores, length);
        float *o = out + i * ld_out;
        for (int64_t c = 0; c < d; c++) o[c] = 0;
        for (int64_t j = 0; j < length; j++)
            for (int64_t c = 0; c < d; c++) o[c] += scores[j] * v[j * ld + c];
    }
}

/* ---- AVX2 + FMA paths ---- */
#if defined(__x86_64__)
#include <immintrin.h>
#define BK_T static __attribute__((target("avx2,fma")))
#define BK_I static inline __attribute__((always_inline, target("avx2,fma")))

BK_I float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* erf on 8 lanes: Eigen's / XLA's single-precision rational approximation on [-4, 4], ±1 beyond. */
BK_I __m256 erf8(__m256 x) {
    x = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(4.0f)), _mm256_set1_ps(-4.0f));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_fmadd_ps(x2, _mm256_set1_ps(-2.72614225801306e-10f), _mm256_set1_ps(2.77068142495902e-08f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-2.10102402082508e-06f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-5.69250639462346e-05f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-7.34990630326855e-04f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-2.95459980854025e-03f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-1.60960333262415e-02f));
    p = _mm256_mul_ps(x, p);
    __m256 q = _mm256_fmadd_ps(x2, _mm256_set1_ps(-1.45660718464996e-05f), _mm256_set1_ps(-2.13374055278905e-04f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(-1.68282697438203e-03f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(-7.37332916720468e-03f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(-1.42647390514189e-02f));
    return _mm256_div_ps(p, q);
}

BK_T void gelu_avx2(float *x, int64_t n) {
    const __m256 half = _mm256_set1_ps(0.5f), scale = _mm256_set1_ps(0.70710678118654752f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i), hv = _mm256_mul_ps(half, v);
        _mm256_storeu_ps(x + i, _mm256_fmadd_ps(hv, erf8(_mm256_mul_ps(v, scale)), hv));
    }
    if (i < n) {  /* the tail through a padded lane block, so it gets the same erf as the body */
        float tail[8] = {0};
        for (int64_t t = i; t < n; t++) tail[t - i] = x[t];
        __m256 v = _mm256_loadu_ps(tail), hv = _mm256_mul_ps(half, v);
        _mm256_storeu_ps(tail, _mm256_fmadd_ps(hv, erf8(_mm256_mul_ps(v, scale)), hv));
        for (int64_t t = i; t < n; t++) x[t] = tail[t - i];
    }
}

BK_T void layernorm_avx2(float *x, const float *residual, int64_t rows, int64_t width, int64_t ld,
                         const float *gamma, const float *beta, float epsilon) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = x + r * ld;
        const float *res = residual ? residual + r * ld : 0;
        __m256 s8 = _mm256_setzero_ps();
        int64_t j = 0;
        for (; j + 8 <= width; j += 8) {
            __m256 v = _mm256_loadu_ps(row + j);
            if (res) { v = _mm256_add_ps(v, _mm256_loadu_ps(res + j)); _mm256_storeu_ps(row + j, v); }
            s8 = _mm256_add_ps(s8, v);
        }
        float sum = hsum8(s8);
        for (; j < width; j++) { if (res) row[j] += res[j]; sum += row[j]; }
        float mean = sum / (float)width;
        __m256 m8 = _mm256_set1_ps(mean), q8 = _mm256_setzero_ps();
        for (j = 0; j + 8 <= width; j += 8) {
            __m256 dv = _mm256_sub_ps(_mm256_loadu_ps(row + j), m8);
            q8 = _mm256_fmadd_ps(dv, dv, q8);
        }
        float squares = hsum8(q8);
        for (; j < width; j++) squares += (row[j] - mean) * (row[j] - mean);
        float inverse = 1.0f / sqrtf(squares / (float)width + epsilon);
        __m256 i8 = _mm256_set1_ps(inverse);
        for (j = 0; j + 8 <= width; j += 8) {
            __m256 n = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + j), m8), i8);
            _mm256_storeu_ps(row + j, _mm256_fmadd_ps(n, _mm256_loadu_ps(gamma + j), _mm256_loadu_ps(beta + j)));
        }
        for (; j < width; j++) row[j] = (row[j] - mean) * inverse * gamma[j] + beta[j];
    }
}

/* Dot products of one query with four keys at once, returned as four lanes (d a multiple of 8). */
BK_I __m128 dot4(const float *qi, const float *k0, const float *k1, const float *k2, const float *k3, int64_t d) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int64_t c = 0; c < d; c += 8) {
        __m256 qv = _mm256_loadu_ps(qi + c);
        a0 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k0 + c), a0);
        a1 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k1 + c), a1);
        a2 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k2 + c), a2);
        a3 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k3 + c), a3);
    }
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

BK_T void attention_avx2(const float *q, const float *k, const float *v, int64_t ld, int64_t length,
                         int64_t d, float scale, float *scores, float *out, int64_t ld_out) {
    const __m128 s4 = _mm_set1_ps(scale);
    for (int64_t i = 0; i < length; i++) {
        const float *qi = q + i * ld;
        int64_t j = 0;
        for (; j + 4 <= length; j += 4) {
            const float *kj = k + j * ld;
            _mm_storeu_ps(scores + j, _mm_mul_ps(s4, dot4(qi, kj, kj + ld, kj + 2 * ld, kj + 3 * ld, d)));
        }
        for (; j < length; j++) {
            __m256 a = _mm256_setzero_ps();
            for (int64_t c = 0; c < d; c += 8)
                a = _mm256_fmadd_ps(_mm256_loadu_ps(qi + c), _mm256_loadu_ps(k + j * ld + c), a);
            scores[j] = scale * hsum8(a);
        }
        vk_softmax_f32(scores, length);
        float *o = out + i * ld_out;
        for (int64_t c = 0; c < d; c += 32) {  /* 32 output columns (4 registers) per sweep over the keys */
            int64_t width = d - c < 32 ? d - c : 32;
            __m256 o0 = _mm256_setzero_ps(), o1 = o0, o2 = o0, o3 = o0;
            for (j = 0; j < length; j++) {
                const float *vj = v + j * ld + c;
                __m256 p = _mm256_set1_ps(scores[j]);
                o0 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj), o0);
                if (width > 8) o1 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj + 8), o1);
                if (width > 16) o2 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj + 16), o2);
                if (width > 24) o3 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vj + 24), o3);
            }
            _mm256_storeu_ps(o + c, o0);
            if (width > 8) _mm256_storeu_ps(o + c + 8, o1);
            if (width > 16) _mm256_storeu_ps(o + c + 16, o2);
            if (width > 24) _mm256_storeu_ps(o + c + 24, o3);
        }
    }
}
#endif

/* ---- dispatch ---- */

void vk_bert_gelu_f32(float *x, int64_t n) {
    if (n <= 0) return;
#if defined(__x86_64__)
    if (bert_set() == BERT_AVX2) { gelu_avx2(x, n); return; }
#endif
    gelu_scalar(x, n);
}

void vk_bert_add_layernorm_f32(float *x, const float *residual, int64_t rows, int64_t width, int64_t ld,
                               const float *gamma, const float *beta, float epsilon) {
    if (rows <= 0 || width <= 0) return;
#if defined(__x86_64__)
    if (bert_set() == BERT_AVX2) { layernorm_avx2(x, residual, rows, width, ld, gamma, beta, epsilon); return; }
#endif
    layernorm_scalar(x, residual, rows, width, ld, gamma, beta, epsilon);
}

void vk_bert_attention_head_f32(const float *q, const float *k, const float *v, int64_t ld,
                                int64_t length, int64_t head_size, float scale,
                                float *scores, float *out, int64_t ld_out) {
    if (length <= 0 || head_size <= 0) return;
#if defined(__x86_64__)
    if (bert_set() == BERT_AVX2 && head_size % 8 == 0) {
        attention_avx2(q, k, v, ld, length, head_size, scale, scores, out, ld_out);
        return;
    }
#endif
    attention_scalar(q, k, v, ld, length, head_size, scale, scores, out, ld_out);
}
