#ifndef VEECTOR_KERNELS_INTERNAL_H
#define VEECTOR_KERNELS_INTERNAL_H
/* Stored block layouts (ggml's, see Spec/model-formats.md) and helpers shared by the kernel files. */
#include <stdint.h>
#include "veector_kernels.h"

typedef struct { uint16_t d; uint8_t qs[16]; } vk_block_q4_0;              /* 18 bytes */
typedef struct { uint16_t d; uint16_t m; uint8_t qs[16]; } vk_block_q4_1;  /* 20 bytes */
typedef struct { uint16_t d; int8_t qs[32]; } vk_block_q8_0;               /* 34 bytes */

_Static_assert(sizeof(vk_block_q4_0) == 18, "block_q4_0 is 18 bytes");
_Static_assert(sizeof(vk_block_q4_1) == 20, "block_q4_1 is 20 bytes");
_Static_assert(sizeof(vk_block_q8_0) == 34, "block_q8_0 is 34 bytes");
_Static_assert(sizeof(vk_block_q8) == 40, "vk_block_q8 is 40 bytes");

float vk_half_to_float(uint16_t h);
void vk_reference_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n);
int vk_reference_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                                 int64_t row_begin, int64_t row_end, float *out);

/* The AVX2 + FMA + F16C kernel set (kernels_avx2.c, x86-64 only). Call only when the CPU has all three
   (kernels.c checks with CPUID) and with arguments vk_matmul has already validated. */
#if defined(__x86_64__) || defined(_M_X64)
#define VK_HAVE_AVX2_SET 1
void vk_avx2_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n);
int vk_avx2_matmul(vk_type type, const void *w, int64_t row_length,
                   const float *x, const vk_block_q8 *xq, int64_t ncols,
                   float *y, int64_t y_stride, int64_t row_begin, int64_t row_end, vk_precision precision);
int vk_avx2_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                            int64_t row_begin, int64_t row_end, float *out);
float vk_avx2_dot_f32(const float *a, const float *b, int64_t n);
void vk_avx2_axpy_f32(float a, const float *x, float *y, int64_t n);
/* The int8 GEMM (gemm_q8_avx2.c): VK_FAST products of Q4_0/Q4_1 weights with batches of at least
   VK_GEMM_MIN_COLS columns; rows past the last multiple of 8 go to the per-row kernel. */
#define VK_GEMM_MIN_COLS 8
int vk_avx2_gemm_q8(vk_type type, const void *w, int64_t row_length, const vk_block_q8 *xq, int64_t ncols,
                    float *y, int64_t y_stride, int64_t row_begin, int64_t row_end);
void vk_avx2_silu_gate_f32(float *gate, const float *up, int64_t n);   /* activations_avx2.c */
float vk_avx2_softmax_f32(float *x, int64_t n);
#endif
#endif
