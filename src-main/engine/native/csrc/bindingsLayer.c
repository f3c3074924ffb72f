/* Bindings of the layer kernels: the fused matrix product, activations and softmax cross-entropy. */
#include "napiCall.h"

/* gemm(m, n, k, a, a_rs, a_ps, b, ldb, c, ldc, epilogue, act, bias, out2, aux, w, vel, lr, mom, l2) */
napi_value js_gemm(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  GemmArgs g;
  size_t na, nb, nc, nbias, n2, naux, nw, nvel;
  g.m = (int)num(&c, 0); g.n = (int)num(&c, 1); g.k = (int)num(&c, 2);
  g.a = arr(&c, 3, &na); g.a_rs = (long)num(&c, 4); g.a_ps = (long)num(&c, 5);
  g.b = arr(&c, 6, &nb); g.ldb = (long)num(&c, 7);
  g.c = arr(&c, 8, &nc); g.ldc = (long)num(&c, 9);
  g.epilogue = (int)num(&c, 10); g.act = (int)num(&c, 11);
  g.bias = arr(&c, 12, &nbias); g.out2 = arr(&c, 13, &n2); g.aux = arr(&c, 14, &naux);
  g.w = arr(&c, 15, &nw); g.vel = arr(&c, 16, &nvel);
  g.lr = (float)num(&c, 17); g.mom = (float)num(&c, 18); g.l2 = (float)num(&c, 19);
  if (c.bad) return NULL;
  const long ncols = (g.n + 15) / 16 * 16;
  if (g.m < 0 || g.n < 0 || g.k < 0 || g.ldb < ncols || g.ldc < ncols || g.ldb % 16 || g.ldc % 16) FAIL("gemm: bad shape m %d n %d k %d ldb %ld ldc %ld", g.m, g.n, g.k, g.ldb, g.ldc);
  if (g.k > 0 && g.m > 0 && (!g.a || (size_t)((g.m - 1) * g.a_rs + (g.k - 1) * g.a_ps) >= na)) FAIL("gemm: A too small");
  if (!g.b || !fits(nb, g.k, ncols, g.ldb)) FAIL("gemm: B too small");
  if (!g.c || !fits(nc, g.m, ncols, g.ldc)) FAIL("gemm: C too small");
  switch (g.epilogue) {
    case EPI_STORE: break;
    case EPI_BIAS_ACT:
      if (!g.bias || nbias < (size_t)ncols || !g.out2 || !fits(n2, g.m, ncols, g.ldc)) FAIL("gemm: bias or activation output too small");
      break;
    case EPI_ACT_GRAD:
      if (!g.out2 || !fits(n2, g.m, ncols, g.ldc) || !g.aux || !fits(naux, g.m, ncols, g.ldc)) FAIL("gemm: gradient buffers too small");
      break;
    case EPI_SGD:
      if (!g.w || !fits(nw, g.m, ncols, g.ldc) || (g.vel && !fits(nvel, g.m, ncols, g.ldc))) FAIL("gemm: weights too small");
      break;
    default: FAIL("gemm: unknown epilogue %d", g.epilogue);
  }
  c.k->gemm(&g);
  return NULL;
}

/* activation(kind, z, a, rows, cols, ld) */
napi_value js_activation(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nz, na;
  const int kind = (int)num(&c, 0);
  const float *z = arr(&c, 1, &nz);
  float *a = arr(&c, 2, &na);
  const int rows = (int)num(&c, 3), cols = (int)num(&c, 4);
  const long ld = (long)num(&c, 5);
  if (c.bad) return NULL;
  const long w = (cols + 15) / 16 * 16;
  if (!z || !a || ld < w || !fits(nz, rows, w, ld) || !fits(na, rows, w, ld)) FAIL("activation: buffers too small");
  c.k->activation(kind, z, a, rows, cols, ld);
  return NULL;
}

/* activationBackward(kind, a, da, dz, rows, cols, ld) */
napi_value js_activation_backward(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t na, nda, ndz;
  const int kind = (int)num(&c, 0);
  const float *a = arr(&c, 1, &na), *da = arr(&c, 2, &nda);
  float *dz = arr(&c, 3, &ndz);
  const int rows = (int)num(&c, 4), cols = (int)num(&c, 5);
  const long ld = (long)num(&c, 6);
  if (c.bad) return NULL;
  const long w = (cols + 15) / 16 * 16;
  if (!a || !da || !dz || ld < w || !fits(na, rows, w, ld) || !fits(nda, rows, w, ld) || !fits(ndz, rows, w, ld)) FAIL("activationBackward: buffers too small");
  c.k->activation_backward(kind, a, da, dz, rows, cols, ld);
  return NULL;
}

/* softmaxCrossEntropy(z, labels, probs, dz, preds, rows, cols, ld, scale) → summed loss */
napi_value js_softmax_ce(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nz, nl, np, ndz, npr;
  const float *z = arr(&c, 0, &nz);
  const uint8_t *labels = arr(&c, 1, &nl);
  float *probs = arr(&c, 2, &np), *dz = arr(&c, 3, &ndz);
  uint8_t *preds = arr(&c, 4, &npr);
  const int rows = (int)num(&c, 5), cols = (int)num(&c, 6);
  const long ld = (long)num(&c, 7);
  const float scale = (float)num(&c, 8);
  if (c.bad) return NULL;
  if (!z || !labels || !probs || rows < 0 || cols < 1 || ld < cols || !fits(nz, rows, cols, ld) || !fits(np, rows, cols, ld) || nl < (size_t)rows || (dz && !fits(ndz, rows, cols, ld)) || (preds && npr < (size_t)rows)) FAIL("softmaxCrossEntropy: buffers too small");
  for (int i = 0; i < rows; i++)
    if (labels[i] >= cols) FAIL("softmaxCrossEntropy: label %d of row %d is not a class (0–%d)", labels[i], i, cols - 1);
  double loss = c.k->softmax_ce(z, labels, probs, dz, preds, rows, cols, ld, scale);
  napi_value out;
  CHECK(napi_create_double(env, loss, &out));
  return out;
}

