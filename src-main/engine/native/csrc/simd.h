/* Portable SIMD through GCC/Clang vector extensions: a level file sets VL (floats per vector) and
 * the compiler target, and this header gives the vector type and the few operations the kernels
 * use, so one kernel source compiles to AVX-512, AVX2+FMA, SSE2 or NEON. */
#ifndef WORKBENCH_SIMD_H
#define WORKBENCH_SIMD_H
#include <stdint.h>
#include <string.h>

typedef float vf __attribute__((vector_size(VL * 4)));
typedef int32_t vi __attribute__((vector_size(VL * 4)));

#define INLINE static inline __attribute__((always_inline))

INLINE vf vload(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
INLINE void vstore(float *p, vf v) { memcpy(p, &v, sizeof v); }
INLINE vf vsplat(float x) { return (vf){0} + x; }
INLINE vf vselect(vi mask, vf yes, vf no) { return (vf)(((vi)yes & mask) | ((vi)no & ~mask)); }
INLINE vf vmax(vf a, vf b) { return vselect(a > b, a, b); }
INLINE vf vmin(vf a, vf b) { return vselect(a < b, a, b); }

/* Lanes whose column index j0 + lane is below n. */
INLINE vi vcols_below(int j0, int n) {
  vi lane;
  for (int i = 0; i < VL; i++) lane[i] = i;
  return (lane + j0) < n;
}

/* e^x in f32 (Cephes expf: range reduction by ln 2, degree-6 polynomial, about 1 ulp). */
INLINE vf vexp(vf x) {
  x = vmin(vmax(x, vsplat(-87.33f)), vsplat(88.37f));
  vf t = x * 1.44269504088896341f;
  vf r = (t + 12582912.0f) - 12582912.0f; /* round to nearest, |t| < 2^22 */
  x = x - r * 0.693359375f;
  x = x - r * -2.12194440e-4f;
  vf y = vsplat(1.9875691500e-4f);
  y = y * x + 1.3981999507e-3f;
  y = y * x + 8.3334519073e-3f;
  y = y * x + 4.1665795894e-2f;
  y = y * x + 1.6666665459e-1f;
  y = y * x + 5.0000001201e-1f;
  y = y * (x * x) + x + 1.0f;
  vi n = __builtin_convertvector(r, vi);
  return y * (vf)((n + 127) << 23);
}

INLINE vf vact(int kind, vf z) {
  if (kind == 0) return 1.0f / (1.0f + vexp(-z));
  if (kind == 1) return 2.0f / (1.0f + vexp(z * -2.0f)) - 1.0f;
  if (kind == 2) return vmax(z, vsplat(0.0f));
  return z;
}

/* f'(z) from a = f(z): sigmoid a(1 − a), tanh 1 − a², relu [a > 0]. */
INLINE vf vact_grad(int kind, vf a) {
  if (kind == 0) return a * (1.0f - a);
  if (kind == 1) return 1.0f - a * a;
  return vselect(a > 0.0f, vsplat(1.0f), vsplat(0.0f));
}
#endif
