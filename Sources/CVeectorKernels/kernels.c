/* Dispatch: picks the best kernel set once, from the CPU's features (CPUID, read at first use), and
   checks arguments so every kernel set sees only valid ones. Sets: "avx2+fma+f16c" (x86-64 with all
   three and an OS that saves YMM state), else "scalar" (reference.c, builds everywhere). */
#include "veector_kernels.h"
#include "kernels_internal.h"
#include "veector_support.h"

enum { SET_UNKNOWN = 0, SET_SCALAR = 1, SET_AVX2 = 2 };

static int detected_set = SET_UNKNOWN; /* accessed with __atomic builtins */
static int force_scalar = 0;

static int detect(void) {
    int set = SET_SCALAR;
#ifdef VK_HAVE_AVX2_SET
    veector_cpu_features f;
    veector_cpu_features_read(&f);
    if (f.avx2 && f.fma && f.f16c && f.os_saves_avx) set = SET_AVX2;
#endif
    return set;
}

/* The set in use now: the detected one unless vk_force_scalar(1) is in effect. */
static int active_set(void) {
    if (__atomic_load_n(&force_scalar, __ATOMIC_RELAXED)) return SET_SCALAR;
    int set = __atomic_load_n(&detected_set, __ATOMIC_RELAXED);
    if (set == SET_UNKNOWN) {
        set = detect(); /* idempotent: racing first callers compute the same answer */
        __atomic_store_n(&detected_set, set, __ATOMIC_RELAXED);
    }
    return set;
}

const char *vk_kernels_name(void) { return active_set() == SET_AVX2 ? "avx2+fma+f16c" : "scalar"; }

void vk_force_scalar(int force) { __atomic_store_n(&force_scalar, force != 0, __ATOMIC_RELAXED); }

void vk_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n) {
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2) { vk_avx2_quantize_row_q8(x, y, n); return; }
#endif
    vk_reference_quantize_row_q8(x, y, n);
}

static int is_quantised(vk_type type) { return type == VK_Q4_0 || type == VK_Q4_1 || type == VK_Q8_0; }
static int is_known(vk_type type) {
    return is_quantised(type) || type == VK_F32 || type == VK_F16 || type == VK_BF16;
}

int vk_matmul(vk_type type, const void *w, int64_t row_length,
              const float *x, const vk_block_q8 *xq, int64_t ncols,
              float *y, int64_t y_stride, int64_t row_begin, int64_t row_end,
              vk_precision precision) {
    if (!is_known(type) || row_length < 0) return -1;
    if (is_quantised(type) && row_length % 32) return -1;
    if (row_begin >= row_end || ncols <= 0) return 0;
    int fast = is_quantised(type) && precision == VK_FAST;
    if (fast ? xq == NULL : x == NULL) return -1;
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2)
        return vk_avx2_matmul(type, w, row_length, x, xq, ncols, y, y_stride, row_begin, row_end, precision);
#endif
    return vk_reference_matmul(type, w, row_length, x, xq, ncols, y, y_stride, row_begin, row_end, precision);
}

int vk_matmul_has_gemm(vk_type type, int64_t ncols) {
#ifdef VK_HAVE_AVX2_SET
    return active_set() == SET_AVX2 && (type == VK_Q4_0 || type == VK_Q4_1) && ncols >= VK_GEMM_MIN_COLS;
#else
    (void)type; (void)ncols;
    return 0;
#endif
}

int vk_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                       int64_t row_begin, int64_t row_end, float *out) {
    if (!is_known(type) || row_length < 0) return -1;
    if (is_quantised(type) && row_length % 32) return -1;
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2) return vk_avx2_dequantize_rows(type, w, row_length, row_begin, row_end, out);
#endif
    return vk_reference_dequantize_rows(type, w, row_length, row_begin, row_end, out);
}

float vk_dot_f32(const float *a, const float *b, int64_t n) {
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2) return vk_avx2_dot_f32(a, b, n);
#endif
    float s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void vk_axpy_f32(float a, const float *x, float *y, int64_t n) {
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2) { vk_avx2_axpy_f32(a, x, y, n); return; }
#endif
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}

void vk_silu_gate_f32(float *gate, const float *up, int64_t n) {
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2) { vk_avx2_silu_gate_f32(gate, up, n); return; }
#endif
    vk_reference_silu_gate_f32(gate, up, n);
}

float vk_softmax_f32(float *x, int64_t n) {
#ifdef VK_HAVE_AVX2_SET
    if (active_set() == SET_AVX2) return vk_avx2_softmax_f32(x, n);
#endif
    return vk_reference_softmax_f32(x, n);
}

size_t vk_block_bytes(vk_type type) {
    switch (type) {
    case VK_F32: return 4;
    case VK_F16: case VK_BF16: return 2;
    case VK_Q4_0: return sizeof(vk_block_q4_0);
    case VK_Q4_1: return sizeof(vk_block_q4_1);
    case VK_Q8_0: return sizeof(vk_block_q8_0);
    }
    return 0;
}

int64_t vk_block_elements(vk_type type) {
    if (is_quantised(type)) return 32;
    return is_known(type) ? 1 : 0;
}
