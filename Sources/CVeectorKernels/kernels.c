#include "veector_kernels.h"

const char *veector_kernels_name(void) { return "scalar"; }
