#ifndef VEECTOR_KERNELS_H
#define VEECTOR_KERNELS_H
// Compute kernels of the block inference engine (dot products on quantised blocks), with SIMD paths
// chosen at run time from the CPU's features. Nothing here is compiled with -march=native.
#include <stddef.h>
#include <stdint.h>

/// The kernel set in use ("avx2+fma", "scalar", ...).
const char *veector_kernels_name(void);

#endif
