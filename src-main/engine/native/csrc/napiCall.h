/* Argument handling shared by the bindings: numbers, typed arrays (data and element count) and
 * extent checks, so a wrong call throws a JavaScript error instead of touching memory it does not own. */
#ifndef WORKBENCH_NAPI_CALL_H
#define WORKBENCH_NAPI_CALL_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include "kernels.h"

#define MAX_ARGS 24
#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, "NATIVE_KERNEL", "Node-API call failed: " #call); return NULL; } } while (0)
#define FAIL(...) do { char msg_[256]; snprintf(msg_, sizeof msg_, __VA_ARGS__); napi_throw_range_error(env, "NATIVE_KERNEL", msg_); return NULL; } while (0)

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  const Kernels *k;
  int bad; /* an argument was of the wrong type (an exception is pending) */
} Call;

static inline int begin(napi_env env, napi_callback_info info, Call *c) {
  c->env = env;
  c->argc = MAX_ARGS;
  c->bad = 0;
  void *data;
  if (napi_get_cb_info(env, info, &c->argc, c->argv, NULL, &data) != napi_ok) return 0;
  c->k = (const Kernels *)data;
  return 1;
}

static inline double num(Call *c, size_t i) {
  double v = 0;
  if (i >= c->argc || napi_get_value_double(c->env, c->argv[i], &v) != napi_ok) {
    if (!c->bad) napi_throw_type_error(c->env, "NATIVE_KERNEL", "expected a number argument");
    c->bad = 1;
  }
  return v;
}

/* A typed array's data and element count; NULL with count 0 for null/undefined. */
static inline void *arr(Call *c, size_t i, size_t *count) {
  napi_valuetype t = napi_undefined;
  *count = 0;
  if (i < c->argc) napi_typeof(c->env, c->argv[i], &t);
  if (t == napi_null || t == napi_undefined) return NULL;
  napi_typedarray_type type;
  void *data = NULL;
  bool is = false;
  napi_is_typedarray(c->env, c->argv[i], &is);
  if (!is || napi_get_typedarray_info(c->env, c->argv[i], &type, count, &data, NULL, NULL) != napi_ok) {
    if (!c->bad) napi_throw_type_error(c->env, "NATIVE_KERNEL", "expected a typed array argument");
    c->bad = 1;
    return NULL;
  }
  return data;
}

/* Whether rows × cols (leading dimension ld) fits in `have` elements. */
static inline int fits(size_t have, long rows, long cols, long ld) {
  return rows <= 0 || cols <= 0 || (size_t)((rows - 1) * ld + cols) <= have;
}

#endif
