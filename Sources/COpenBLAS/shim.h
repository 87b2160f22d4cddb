#include <cblas.h>

