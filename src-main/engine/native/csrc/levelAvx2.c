/* AVX2 + FMA: 8 floats a vector, a 6 × 2-vector register tile (12 accumulators of 16 registers). */
#if defined(__x86_64__) || defined(_M_X64)
/* system headers first, so the target attribute below applies only to the kernels */
#include <math.h>
#include <string.h>
#include "kernels.h"
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi2"))), apply_to = function)
#else
#pragma GCC target("avx2,fma,bmi2")
#endif
#define VL 8
#define MR 6
#define NV 2
#define LEVEL_ID avx2
#define LEVEL_NAME "avx2"
#include "kernels.inc"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
