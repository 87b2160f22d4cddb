#ifndef VEECTOR_SUPPORT_H
#define VEECTOR_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

/* CRC-32C (Castagnoli), the checksum of every VeectorDB record. Uses the SSE4.2 crc32
   instruction when the CPU has it (checked at run time), a slicing-by-8 table otherwise.
   `crc` is the running value: pass 0 for a fresh checksum. */
uint32_t veector_crc32c(uint32_t crc, const void *data, size_t length);

/* The same checksum, always computed in software (for tests that compare both paths). */
uint32_t veector_crc32c_software(uint32_t crc, const void *data, size_t length);

/* CPU features read with CPUID at run time (x86-64); all zero on other architectures. */
typedef struct {
    int sse42;
    int avx;
    int avx2;
    int fma;
    int f16c;
    int avx512f;
    int avx512bw;
    int avx512vl;
    int avx512vnni;
    int avx512bf16;
    int sha;
    int os_saves_avx;      /* XGETBV says the OS saves YMM state */
    int os_saves_avx512;   /* XGETBV says the OS saves ZMM state */
    char vendor[13];
    char brand[49];
} veector_cpu_features;

void veector_cpu_features_read(veector_cpu_features *out);

#endif
