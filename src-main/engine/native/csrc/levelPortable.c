/* The baseline every CPU of the architecture runs: 4 floats a vector, which the compiler maps to
 * SSE2 on x86-64 and NEON on arm64; a 4 × 3-vector register tile. */
#define VL 4
#define MR 4
#define NV 3
#define LEVEL_ID portable
#define LEVEL_NAME "portable"
#include "kernels.inc"
