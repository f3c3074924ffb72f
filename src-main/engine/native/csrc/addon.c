/* Node-API entry of the native kernels. `open(cap)` returns an object whose functions are bound to
 * the kernel table dispatch.c picked (capped at `cap`); buffers are typed arrays owned by JavaScript
 * (never external buffers, which Electron's V8 sandbox forbids). No mutable global state: the
 * addon is context-aware and loads in every worker thread. */
#include "napiCall.h"

napi_value js_gemm(napi_env, napi_callback_info);
napi_value js_activation(napi_env, napi_callback_info);
napi_value js_activation_backward(napi_env, napi_callback_info);
napi_value js_softmax_ce(napi_env, napi_callback_info);
napi_value js_sgd(napi_env, napi_callback_info);
napi_value js_adam(napi_env, napi_callback_info);
napi_value js_sum_squares(napi_env, napi_callback_info);
napi_value js_col_sum(napi_env, napi_callback_info);
napi_value js_transpose(napi_env, napi_callback_info);
napi_value js_pack_input(napi_env, napi_callback_info);

/* 64-byte alignment offset, in elements, of a typed array's data (JS views start where it is 0). */
static napi_value js_align_offset(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  size_t n;
  void *data = arr(&c, 0, &n);
  const double elem = num(&c, 1);
  if (c.bad) return NULL;
  if (!data || elem < 1) FAIL("alignOffset: expects a typed array and its element size");
  const uintptr_t mis = (uintptr_t)data & 63;
  napi_value out;
  CHECK(napi_create_double(env, mis ? (double)((64 - mis) / (uintptr_t)elem) : 0, &out));
  return out;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  Call c;
  if (!begin(env, info, &c)) return NULL;
  char cap[16] = "";
  napi_valuetype t = napi_undefined;
  if (c.argc > 0) napi_typeof(env, c.argv[0], &t);
  if (t == napi_string) CHECK(napi_get_value_string_utf8(env, c.argv[0], cap, sizeof cap, NULL));
  const Kernels *k = select_kernels(cap);
  static const struct { const char *name; napi_callback fn; } fns[] = {
    {"gemm", js_gemm}, {"activation", js_activation}, {"activationBackward", js_activation_backward},
    {"softmaxCrossEntropy", js_softmax_ce}, {"sgd", js_sgd}, {"adam", js_adam}, {"sumSquares", js_sum_squares},
    {"colSum", js_col_sum}, {"transpose", js_transpose}, {"packInput", js_pack_input}, {"alignOffset", js_align_offset},
  };
  napi_value obj, v;
  CHECK(napi_create_object(env, &obj));
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, (void *)k, &v));
    CHECK(napi_set_named_property(env, obj, fns[i].name, v));
  }
  CHECK(napi_create_string_utf8(env, k->name, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "level", v));
  return obj;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "open", NAPI_AUTO_LENGTH, js_open, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "open", fn) != napi_ok) return NULL;
  return exports;
}
