#ifndef VEECTOR_KERNELS_H
#define VEECTOR_KERNELS_H
/* Compute kernels of the block inference engine: matrix × activations products computed directly on
   the stored (quantised) weight blocks, plus the few vector helpers a transformer layer needs.
   SIMD paths are chosen once at run time from the CPU's features (vk_kernels_name() says which);
   nothing here is compiled with -march=native. Every function has a scalar reference path
   (vk_reference_*) that tests compare the fast paths against.

   Weight layout: `rows` rows of `row_length` elements, stored back to back in the tensor's type
   (ggml layout: a quantised row is row_length/32 blocks). Activations: `ncols` vectors of
   `row_length` floats, back to back. Output: y[c * y_stride + r] for column c and row r.
   Only rows [row_begin, row_end) are computed, so callers can split rows across threads. */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Weight element types, numbered as ggml numbers them. */
typedef enum {
    VK_F32 = 0,
    VK_F16 = 1,
    VK_Q4_0 = 2,
    VK_Q4_1 = 3,
    VK_Q8_0 = 8,
    VK_BF16 = 30,
} vk_type;

/* Activations quantised to 8 bits for the integer dot products: 32 values per block,
   x[i] ≈ d * qs[i], s = d * Σ qs[i]. An in-memory format only (never stored), so d and s are f32. */
typedef struct {
    float d;
    float s;
    int8_t qs[32];
} vk_block_q8;

/* How a product is computed.
   VK_EXACT: f32 activations times weights dequantised on the fly, accumulated in f32 (the reference
             quality: the same arithmetic as dequantising the model to F32).
   VK_FAST:  activations quantised to vk_block_q8 (per 32 values), integer dot products per block
             (what llama.cpp does for Q4/Q8 weights). F32/F16/BF16 weights always use VK_EXACT. */
typedef enum { VK_EXACT = 0, VK_FAST = 1 } vk_precision;

/* The kernel set in use, e.g. "avx2+fma" or "scalar". */
const char *vk_kernels_name(void);

/* Forces the scalar paths (for tests and benchmarks); pass 0 to go back to the best available. */
void vk_force_scalar(int force);

/* Quantises n floats (n a multiple of 32) into n/32 blocks. */
void vk_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n);

/* y[c*y_stride + r] = Σ_k W[r][k] · x[c][k] for r in [row_begin, row_end), c in [0, ncols).
   With VK_FAST and a Q4_0/Q4_1/Q8_0 weight, xq must hold ncols × row_length/32 blocks quantised
   from x with vk_quantize_row_q8 (x may then be NULL); otherwise x is used and xq may be NULL.
   Returns 0, or -1 when the type is not supported (or row_length is not a multiple of 32 for a
   quantised type, or the pointer the precision needs, x or xq, is NULL). */
int vk_matmul(vk_type type, const void *w, int64_t row_length,
              const float *x, const vk_block_q8 *xq, int64_t ncols,
              float *y, int64_t y_stride, int64_t row_begin, int64_t row_end,
              vk_precision precision);

/* Whether vk_matmul has an int8 GEMM for VK_FAST products of this type with batches of ncols columns
   (Q4_0/Q4_1 weights, at least 8 columns, AVX2 kernel set): such products run faster than dequantising
   to f32 and calling sgemm. Rows are then best split among threads in multiples of 8. */
int vk_matmul_has_gemm(vk_type type, int64_t ncols);

/* Dequantises rows [row_begin, row_end) into out (row_length floats per row). Returns 0 or -1. */
int vk_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                       int64_t row_begin, int64_t row_end, float *out);

/* Σ a[i]·b[i]. */
float vk_dot_f32(const float *a, const float *b, int64_t n);
/* y[i] += a · x[i]. */
void vk_axpy_f32(float a, const float *x, float *y, int64_t n);

/* gate[i] = silu(gate[i]) · up[i] = gate[i] / (1 + e^-gate[i]) · up[i] (SwiGLU's gating). */
void vk_silu_gate_f32(float *gate, const float *up, int64_t n);
/* Softmax of x in place (maximum subtracted first); returns the sum of the exponentials it divided by
   (0 when n ≤ 0). */
float vk_softmax_f32(float *x, int64_t n);

/* Bytes of one stored block of `type` (one element for F32/F16/BF16), or 0 for a type the kernels do
   not know: lets callers size rows and check their own block structs against the C layouts. */
size_t vk_block_bytes(vk_type type);
/* Weights one block of `type` holds: 32 for Q4_0/Q4_1/Q8_0, 1 for F32/F16/BF16, 0 for unknown types. */
int64_t vk_block_elements(vk_type type);

/* Scalar reference paths, always available, used by tests to check the fast paths. */
int vk_reference_matmul(vk_type type, const void *w, int64_t row_length,
                        const float *x, const vk_block_q8 *xq, int64_t ncols,
                        float *y, int64_t y_stride, int64_t row_begin, int64_t row_end,
                        vk_precision precision);
void vk_reference_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n);
int vk_reference_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                                 int64_t row_begin, int64_t row_end, float *out);
void vk_reference_silu_gate_f32(float *gate, const float *up, int64_t n);
float vk_reference_softmax_f32(float *x, int64_t n);

#ifdef __cplusplus
}
#endif
#endif
