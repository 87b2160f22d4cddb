/* Scalar reference kernels: plain loops, the definition the SIMD paths are tested against. */
#include "veector_kernels.h"
#include "kernels_internal.h"
#include <math.h>
#include <string.h>

float vk_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1F;
    uint32_t mant = h & 0x3FF;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {
            exp = 127 - 15 + 1;
            while ((mant & 0x400) == 0) { mant <<= 1; exp--; }
            mant &= 0x3FF;
            bits = sign | (exp << 23) | (mant << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000 | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static float bf16_to_float(uint16_t b) {
    uint32_t bits = (uint32_t)b << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

void vk_reference_quantize_row_q8(const float *x, vk_block_q8 *y, int64_t n) {
    for (int64_t b = 0; b < n / 32; b++) {
        const float *v = x + b * 32;
        float amax = 0;
        for (int i = 0; i < 32; i++) { float a = fabsf(v[i]); if (a > amax) amax = a; }
        float d = amax / 127.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            int q = (int)roundf(v[i] * id);
            y[b].qs[i] = (int8_t)q;
            sum += q;
        }
        y[b].d = d;
        y[b].s = d * (float)sum;
    }
}

int vk_reference_dequantize_rows(vk_type type, const void *w, int64_t row_length,
                                 int64_t row_begin, int64_t row_end, float *out) {
    for (int64_t r = row_begin; r < row_end; r++) {
        float *o = out + (r - row_begin) * row_length;
        switch (type) {
        case VK_F32:
            memcpy(o, (const float *)w + r * row_length, (size_t)row_length * 4);
            break;
        case VK_F16: {
            const uint16_t *p = (const uint16_t *)w + r * row_length;
            for (int64_t k = 0; k < row_length; k++) o[k] = vk_half_to_float(p[k]);
            break;
        }
        case VK_BF16: {
            const uint16_t *p = (const uint16_t *)w + r * row_length;
            for (int64_t k = 0; k < row_length; k++) o[k] = bf16_to_float(p[k]);
            break;
        }
        case VK_Q4_0: {
            if (row_length % 32) return -1;
            const vk_block_q4_0 *b = (const vk_block_q4_0 *)w + r * (row_length / 32);
            for (int64_t i = 0; i < row_length / 32; i++) {
                float d = vk_half_to_float(b[i].d);
                for (int j = 0; j < 16; j++) {
                    o[i * 32 + j] = ((int)(b[i].qs[j] & 0x0F) - 8) * d;
                    o[i * 32 + j + 16] = ((int)(b[i].qs[j] >> 4) - 8) * d;
                }
            }
            break;
        }
        case VK_Q4_1: {
            if (row_length % 32) return -1;
            const vk_block_q4_1 *b = (const vk_block_q4_1 *)w + r * (row_length / 32);
            for (int64_t i = 0; i < row_length / 32; i++) {
                float d = vk_half_to_float(b[i].d), m = vk_half_to_float(b[i].m);
                for (int j = 0; j < 16; j++) {
                    o[i * 32 + j] = (b[i].qs[j] & 0x0F) * d + m;
                    o[i * 32 + j + 16] = (b[i].qs[j] >> 4) * d + m;
                }
            }
            break;
        }
        case VK_Q8_0: {
            if (row_length % 32) return -1;
            const vk_block_q8_0 *b = (const vk_block_q8_0 *)w + r * (row_length / 32);
            for (int64_t i = 0; i < row_length / 32; i++) {
                float d = vk_half_to_float(b[i].d);
                for (int j = 0; j < 32; j++) o[i * 32 + j] = b[i].qs[j] * d;
            }
            break;
        }
        default:
            return -1;
        }
    }
    return 0;
}

/* One weight row times one quantised activation row, integer dot per block. */
static float dot_fast_row(vk_type type, const void *wrow, const vk_block_q8 *x, int64_t nb) {
    float sum = 0;
    for (int64_t i = 0; i < nb; i++) {
        int isum = 0;
        switch (type) {
        case VK_Q4_0: {
            const vk_block_q4_0 *b = (const vk_block_q4_0 *)wrow + i;
            for (int j = 0; j < 16; j++)
                isum += ((int)(b->qs[j] & 0x0F) - 8) * x[i].qs[j] + ((int)(b->qs[j] >> 4) - 8) * x[i].qs[j + 16];
            sum += vk_half_to_float(b->d) * x[i].d * (float)isum;
            break;
        }
        case VK_Q4_1: {
            const vk_block_q4_1 *b = (const vk_block_q4_1 *)wrow + i;
            for (int j = 0; j < 16; j++)
                isum += (int)(b->qs[j] & 0x0F) * x[i].qs[j] + (int)(b->qs[j] >> 4) * x[i].qs[j + 16];
            sum += vk_half_to_float(b->d) * x[i].d * (float)isum + vk_half_to_float(b->m) * x[i].s;
            break;
        }
        case VK_Q8_0: {
            const vk_block_q8_0 *b = (const vk_block_q8_0 *)wrow + i;
            for (int j = 0; j < 32; j++) isum += (int)b->qs[j] * x[i].qs[j];
            sum += vk_half_to_float(b->d) * x[i].d * (float)isum;
            break;
        }
        default:
            break;
        }
    }
    return sum;
}

int vk_reference_matmul(vk_type type, const void *w, int64_t row_length,
                        const float *x, const vk_block_q8 *xq, int64_t ncols,
                        float *y, int64_t y_stride, int64_t row_begin, int64_t row_end,
                        vk_precision precision) {
    int quantised = type == VK_Q4_0 || type == VK_Q4_1 || type == VK_Q8_0;
    if (quantised && row_length % 32) return -1;
    if (type != VK_F32 && type != VK_F16 && type != VK_BF16 && !quantised) return -1;
    if (quantised && precision == VK_FAST) {
        int64_t nb = row_length / 32;
        size_t block_bytes = type == VK_Q4_0 ? sizeof(vk_block_q4_0)
                           : type == VK_Q4_1 ? sizeof(vk_block_q4_1) : sizeof(vk_block_q8_0);
        for (int64_t r = row_begin; r < row_end; r++) {
            const void *wrow = (const uint8_t *)w + (size_t)r * (size_t)nb * block_bytes;
            for (int64_t c = 0; c < ncols; c++) y[c * y_stride + r] = dot_fast_row(type, wrow, xq + c * nb, nb);
        }
        return 0;
    }
    float row[row_length > 0 ? row_length : 1];
    for (int64_t r = row_begin; r < row_end; r++) {
        if (vk_reference_dequantize_rows(type, w, row_length, r, r + 1, row) != 0) return -1;
        for (int64_t c = 0; c < ncols; c++) {
            const float *xc = x + c * row_length;
            float sum = 0;
            for (int64_t k = 0; k < row_length; k++) sum += row[k] * xc[k];
            y[c * y_stride + r] = sum;
        }
    }
    return 0;
}

void vk_reference_silu_gate_f32(float *gate, const float *up, int64_t n) {
    for (int64_t i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

float vk_reference_softmax_f32(float *x, int64_t n) {
    if (n <= 0) return 0;
    float m = x[0];
    for (int64_t i = 1; i < n; i++) if (x[i] > m) m = x[i];
    float total = 0;
    for (int64_t i = 0; i < n; i++) { x[i] = expf(x[i] - m); total += x[i]; }
    float inverse = 1.0f / total;
    for (int64_t i = 0; i < n; i++) x[i] *= inverse;
    return total;
}
