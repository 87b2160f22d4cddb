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
#endif
