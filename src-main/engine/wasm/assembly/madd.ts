// The one multiply-add of the GEMM inner loops, shared by both builds of the module
// (scripts/buildWasm.mjs compiles these sources twice).

/**
 * a·b + c on f32x4. The relaxed build (asc --enable relaxed-simd) emits f32x4.relaxed_madd, a fused
 * multiply-add on hardware with FMA (one instruction instead of two, one rounding instead of two);
 * the plain build emits exactly f32x4.add(c, f32x4.mul(a, b)) as before. The branch is on a
 * compile-time constant, so each build holds only its own instruction.
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
