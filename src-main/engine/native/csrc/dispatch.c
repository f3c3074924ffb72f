/* CPU dispatch, the one place that decides which level's kernels run: the best level the CPU and
 * the OS support (GCC/Clang's cpu_supports checks the OS saves the wider registers), optionally
 * capped by the caller (the WORKBENCH_NATIVE_LEVEL variable) so every level is testable here. */
#include <string.h>
#include "kernels.h"

static int rank(const char *name) {
  if (!name || !*name) return 2;
  if (strcmp(name, "avx512") == 0) return 2;
  if (strcmp(name, "avx2") == 0) return 1;
  return 0;
}

const Kernels *select_kernels(const char *cap) {
  const int limit = rank(cap);
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  if (limit >= 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")) return &kernels_avx512;
  if (limit >= 1 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &kernels_avx2;
#endif
  return &kernels_portable;
}
