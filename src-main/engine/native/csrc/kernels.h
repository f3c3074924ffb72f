/* The native kernel table: every CPU level (avx512, avx2, portable) compiles the same kernel sources
 * (gemm.inc, elementwise.inc, optim.inc, pack.inc) into one of these; dispatch.c picks the table once.
 *
 * Every matrix is row-major with a leading dimension (floats per row) that is a multiple of 16, so
 * rows start 64-byte aligned; columns past the logical width are padding and stay zero. */
#ifndef WORKBENCH_KERNELS_H
#define WORKBENCH_KERNELS_H
#include <stddef.h>
#include <stdint.h>

enum { ACT_NONE = -1, ACT_SIGMOID = 0, ACT_TANH = 1, ACT_RELU = 2 };

/* What happens to the accumulated product C = A·B of one output tile. */
enum {
  EPI_STORE = 0,    /* c = A·B */
  EPI_BIAS_ACT = 1, /* c = z = A·B + bias; out2 = f(z) (forward of a dense layer and its activation) */
  EPI_ACT_GRAD = 2, /* c = da = A·B; out2 = dz = da ⊙ f'(aux) with aux = f(z) (input gradient of a dense layer) */
  EPI_SGD = 3       /* g = A·B + λw; vel = μ·vel + g (when vel); w -= lr·(vel or g): dW is never stored */
};

typedef struct {
  int m, n, k;           /* C is m×n (n = logical columns), contraction over k */
  const float *a;        /* A(r, p) = a[r·a_rs + p·a_ps] for r < m, p < k */
  long a_rs, a_ps;
  const float *b;        /* B(p, j) = b[p·ldb + j], zero past column n */
  long ldb;
  float *c;              /* output (and partial sums between blocks of k) */
  long ldc;
  int epilogue, act;
  const float *bias;     /* EPI_BIAS_ACT */
  float *out2;           /* EPI_BIAS_ACT: f(z); EPI_ACT_GRAD: dz; leading dimension ldc */
  const float *aux;      /* EPI_ACT_GRAD: f(z), leading dimension ldc */
  float *w, *vel;        /* EPI_SGD: weights and velocity, leading dimension ldc */
  float lr, mom, l2;
} GemmArgs;

typedef struct {
  const char *name;
  void (*gemm)(const GemmArgs *g);
  void (*activation)(int kind, const float *z, float *a, int rows, int cols, long ld);
  void (*activation_backward)(int kind, const float *a, const float *da, float *dz, int rows, int cols, long ld);
  double (*softmax_ce)(const float *z, const uint8_t *labels, float *probs, float *dz, uint8_t *preds, int rows, int cols, long ld, float scale);
  void (*col_sum)(const float *z, float *out, int rows, int cols, long ld);
  void (*transpose)(const float *w, int rows, int cols, long ld, float *t, long ldt);
  void (*sgd)(float *w, float *g, float *vel, size_t len, float lr, float mom, float l2);
  void (*adam)(float *w, const float *g, float *m, float *v, size_t len, float lr, float b1, float b2, float eps, float bc1, float bc2, float l2);
  double (*sum_squares)(const float *w, size_t len);
  void (*pack_input)(const uint8_t *records, long record_bytes, const int32_t *order, int count, float *x, long ldx, uint8_t *labels, int features, int plane, const float *scale, const float *shift);
} Kernels;

extern const Kernels kernels_avx512, kernels_avx2, kernels_portable;

/* The best level this CPU (and OS) runs, capped at `cap` ("avx512", "avx2", "portable" or NULL). */
const Kernels *select_kernels(const char *cap);
#endif
