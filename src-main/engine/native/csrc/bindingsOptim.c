/* Bindings of the parameter and data kernels: optimizer steps, sums, transpose and input packing. */
#include "napiCall.h"

/* sgd(w, g, vel, lr, mom, l2) over the whole buffer w (g and vel the same length) */
napi_value js_sgd(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nw, ng, nv;
  float *w = arr(&c, 0, &nw), *g = arr(&c, 1, &ng), *vel = arr(&c, 2, &nv);
  const float lr = (float)num(&c, 3), mom = (float)num(&c, 4), l2 = (float)num(&c, 5);
  if (c.bad) return NULL;
  if (!w || !g || ng != nw || (vel && nv != nw) || nw % 16) FAIL("sgd: buffers differ in length");
  c.k->sgd(w, g, vel, nw, lr, mom, l2);
  return NULL;
}

/* adam(w, g, m, v, lr, b1, b2, eps, bc1, bc2, l2) */
napi_value js_adam(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nw, ng, nm, nv;
  float *w = arr(&c, 0, &nw), *g = arr(&c, 1, &ng), *m = arr(&c, 2, &nm), *v = arr(&c, 3, &nv);
  const float lr = (float)num(&c, 4), b1 = (float)num(&c, 5), b2 = (float)num(&c, 6), eps = (float)num(&c, 7);
  const float bc1 = (float)num(&c, 8), bc2 = (float)num(&c, 9), l2 = (float)num(&c, 10);
  if (c.bad) return NULL;
  if (!w || !g || !m || !v || ng != nw || nm != nw || nv != nw || nw % 16) FAIL("adam: buffers differ in length");
  c.k->adam(w, g, m, v, nw, lr, b1, b2, eps, bc1, bc2, l2);
  return NULL;
}

/* sumSquares(w) over the whole buffer */
napi_value js_sum_squares(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nw;
  const float *w = arr(&c, 0, &nw);
  if (c.bad) return NULL;
  if (!w || nw % 16) FAIL("sumSquares: length must be a multiple of 16");
  napi_value out;
  CHECK(napi_create_double(env, c.k->sum_squares(w, nw), &out));
  return out;
}

/* colSum(z, out, rows, cols, ld) */
napi_value js_col_sum(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nz, no;
  const float *z = arr(&c, 0, &nz);
  float *out = arr(&c, 1, &no);
  const int rows = (int)num(&c, 2), cols = (int)num(&c, 3);
  const long ld = (long)num(&c, 4);
  if (c.bad) return NULL;
  const long w = (cols + 15) / 16 * 16;
  if (!z || !out || ld < w || no < (size_t)w || !fits(nz, rows, w, ld)) FAIL("colSum: buffers too small");
  c.k->col_sum(z, out, rows, cols, ld);
  return NULL;
}

/* transpose(w, rows, cols, ld, t, ldt) */
napi_value js_transpose(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nw, nt;
  const float *w = arr(&c, 0, &nw);
  const int rows = (int)num(&c, 1), cols = (int)num(&c, 2);
  const long ld = (long)num(&c, 3);
  float *t = arr(&c, 4, &nt);
  const long ldt = (long)num(&c, 5);
  if (c.bad) return NULL;
  if (!w || !t || ld < cols || ldt < rows || !fits(nw, rows, cols, ld) || !fits(nt, cols, rows, ldt)) FAIL("transpose: buffers too small");
  c.k->transpose(w, rows, cols, ld, t, ldt);
  return NULL;
}

/* packInput(records, recordBytes, order, start, count, x, ldx, labels, features, plane, scaleShift[2·planes]) */
napi_value js_pack_input(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t nr, no, nx, nl, nt;
  const uint8_t *records = arr(&c, 0, &nr);
  const long record_bytes = (long)num(&c, 1);
  const int32_t *order = arr(&c, 2, &no);
  const long start = (long)num(&c, 3);
  const int count = (int)num(&c, 4);
  float *x = arr(&c, 5, &nx);
  const long ldx = (long)num(&c, 6);
  uint8_t *labels = arr(&c, 7, &nl);
  const int features = (int)num(&c, 8), plane = (int)num(&c, 9);
  const float *tf = arr(&c, 10, &nt);
  if (c.bad) return NULL;
  const int planes = plane > 0 ? (features + plane - 1) / plane : 0;
  if (!records || !order || !x || !labels || !tf || count < 0 || start < 0 || plane < 1 || features < 1 || record_bytes < features + 1) FAIL("packInput: bad arguments");
  if ((size_t)(start + count) > no || !fits(nx, count, features, ldx) || ldx < features || nl < (size_t)count || nt < (size_t)(2 * planes)) FAIL("packInput: buffers too small");
  const size_t records_count = nr / (size_t)record_bytes;
  for (int i = 0; i < count; i++)
    if (order[start + i] < 0 || (size_t)order[start + i] >= records_count) FAIL("packInput: record %d is outside the split (%zu records)", order[start + i], records_count);
  c.k->pack_input(records, record_bytes, order + start, count, x, ldx, labels, features, plane, tf, tf + planes);
  return NULL;
}
