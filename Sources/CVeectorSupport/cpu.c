#include "veector_support.h"
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}
#endif

void veector_cpu_features_read(veector_cpu_features *out) {
    memset(out, 0, sizeof(*out));
#if defined(__x86_64__)
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    unsigned int max_leaf = a;
    memcpy(out->vendor, &b, 4); memcpy(out->vendor + 4, &d, 4); memcpy(out->vendor + 8, &c, 4);
    __get_cpuid(1, &a, &b, &c, &d);
    out->sse42 = (c >> 20) & 1;
    out->fma = (c >> 12) & 1;
    out->f16c = (c >> 29) & 1;
    int osxsave = (c >> 27) & 1;
    int avx = (c >> 28) & 1;
    if (osxsave) {
        uint64_t xcr0 = xgetbv0();
        out->os_saves_avx = (xcr0 & 0x6) == 0x6;
        out->os_saves_avx512 = (xcr0 & 0xe6) == 0xe6;
    }
    out->avx = avx && out->os_saves_avx;
    if (!out->os_saves_avx) { out->fma = 0; out->f16c = 0; }
    if (max_leaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        out->avx2 = ((b >> 5) & 1) && out->os_saves_avx;
        out->sha = (b >> 29) & 1;
        if (out->os_saves_avx512) {
            out->avx512f = (b >> 16) & 1;
            out->avx512bw = (b >> 30) & 1;
            out->avx512vl = (b >> 31) & 1;
            out->avx512vnni = (c >> 11) & 1;
            __cpuid_count(7, 1, a, b, c, d);
            out->avx512bf16 = (a >> 5) & 1;
        }
    }
    __get_cpuid(0x80000000, &a, &b, &c, &d);
    if (a >= 0x80000004) {
        unsigned int regs[12];
        for (unsigned int i = 0; i < 3; i++)
            __get_cpuid(0x80000002 + i, &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2], &regs[i * 4 + 3]);
        memcpy(out->brand, regs, 48);
        out->brand[48] = 0;
    }
#endif
}
