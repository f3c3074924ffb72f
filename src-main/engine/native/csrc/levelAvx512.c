/* AVX-512F: 16 floats a vector, a 6 × 4-vector register tile (24 accumulators of 32 registers). */
#if defined(__x86_64__) || defined(_M_X64)
/* system headers first, so the target attribute below applies only to the kernels */
#include <math.h>
#include <string.h>
#include "kernels.h"
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi2"))), apply_to = function)
#else
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi2")
#endif
#define VL 16
#define MR 6
#define NV 4
#define LEVEL_ID avx512
#define LEVEL_NAME "avx512"
#include "kernels.inc"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
