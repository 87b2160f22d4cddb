/* Dispatch: picks the best kernel set once, from the CPU's features, at first use.
   For now only the scalar reference set exists; SIMD sets plug in here. */
#include "veector_kernels.h"
#include "kernels_internal.h"

static int force_scalar = 0;

const char *vk_kernels_name(void) { return "scalar"; }

void vk_force_scalar(int force) { force_scalar = force; }

void vk_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n) { vk_reference_quantize_row_q8(x, y, n); }

int vk_matmul(vk_type type, const void *w, int64_t row_length,
              const float *x, const vk_block_q8 *xq, int64_t ncols,
              float *y, int64_t y_stride, int64_t row_begin, int64_t row_end,
              vk_precision precision) {
    return vk_reference_matmul(type, w, row_length, x, xq, ncols, y, y_stride, row_begin, row_end, precision);
}

int vk_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                       int64_t row_begin, int64_t row_end, float *out) {
    return vk_reference_dequantize_rows(type, w, row_length, row_begin, row_end, out);
}

float vk_dot_f32(const float *a, const float *b, int64_t n) {
    float s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void vk_axpy_f32(float a, const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}
