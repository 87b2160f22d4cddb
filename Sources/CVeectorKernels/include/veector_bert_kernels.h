#ifndef VEECTOR_BERT_KERNELS_H
#define VEECTOR_BERT_KERNELS_H
/* The row operations of a BERT encoder layer (sentence embeddings, Sources/VeectorEngine/Bert/):
   erf GELU, residual + LayerNorm, and the attention of one head over a short sequence. Everything else
   in the layer is an OpenBLAS sgemm. AVX2 + FMA paths are chosen once at run time from CPUID (no
   -march); each function has a scalar path (vk_bert_force_scalar(1)) that tests compare against.
   Matrices are row-major floats; `ld` is the distance in floats between consecutive rows. */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel set in use: "avx2+fma" or "scalar". */
const char *vk_bert_kernels_name(void);

/* Forces the scalar paths (tests, benchmarks); 0 goes back to the best available. */
void vk_bert_force_scalar(int force);

/* x[i] = GELU(x[i]) = 0.5·x·(1 + erf(x/√2)), BERT's exact activation, for i in [0, n). The AVX2 path's
   erf is a rational approximation within 5e-7 of erff. */
void vk_bert_gelu_f32(float *x, int64_t n);

/* x[r] = LayerNorm(x[r] + residual[r]) · gamma + beta for each of `rows` rows of `width` floats (rows
   `ld` apart in both x and residual; residual may be NULL). Variance is the biased one, as PyTorch's. */
void vk_bert_add_layernorm_f32(float *x, const float *residual, int64_t rows, int64_t width, int64_t ld,
                               const float *gamma, const float *beta, float epsilon);

/* One attention head over one sequence of `length` tokens: out[i] = Σ_j softmax_j(scale · q[i]·k[j]) v[j]
   for i in [0, length), where q[i], k[i], v[i] and out[i] are `head_size` floats at q + i·ld, … and
   out + i·ld_out. `scores` is scratch for `length` floats. Meant for short sequences, where an sgemm's
   packing costs more than the product; longer ones are cheaper as two sgemms and a softmax per row. */
void vk_bert_attention_head_f32(const float *q, const float *k, const float *v, int64_t ld,
                                int64_t length, int64_t head_size, float scale,
                                float *scores, float *out, int64_t ld_out);

#ifdef __cplusplus
}
#endif
#endif
