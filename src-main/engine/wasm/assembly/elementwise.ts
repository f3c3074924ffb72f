// Activations and the softmax + cross-entropy loss. Sizes here are batch × width (small),
// so these stay scalar; the matrix products dominate the time.

const SIGMOID: i32 = 0;
const TANH: i32 = 1;
const RELU: i32 = 2;

/**
 * e^x for four lanes: x = n·ln2 + r with |r| ≤ ln2/2, e^r by the Cephes expf polynomial (relative
 * error ≈ 1e-7), 2^n built in the exponent bits. x is clamped to [−87, 88] so 2^n stays normal;
 * NaN propagates.
 */
@inline function exp4(x: v128): v128 {
  x = f32x4.max(f32x4.min(x, f32x4.splat(88)), f32x4.splat(-87));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

/** a = f(z) elementwise for `len` floats; f is sigmoid, tanh or relu by `kind`. */
export function activationForward(kind: i32, z: usize, a: usize, len: i32): void {
  let i = 0;
  if (kind == SIGMOID) {
    // σ(z) = 1/(1 + e^−z); −z is capped at 80 so the result never becomes subnormal
    const one = f32x4.splat(1);
    for (; i + 4 <= len; i += 4) {
      const off = <usize>i << 2;
      const e = exp4(f32x4.min(f32x4.neg(v128.load(z + off)), f32x4.splat(80)));
      v128.store(a + off, f32x4.div(one, f32x4.add(one, e)));
    }
  } else if (kind == RELU) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= len; i += 4) {
      const off = <usize>i << 2;
      v128.store(a + off, f32x4.max(v128.load(z + off), zero));
    }
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    const x = load<f32>(z + off);
    let y: f32;
    if (kind == SIGMOID) y = <f32>1 / (<f32>1 + Mathf.exp(-x));
    else if (kind == TANH) y = Mathf.tanh(x);
    else y = x > 0 || x != x ? x : <f32>0; // NaN stays NaN, as in the SIMD path
    store<f32>(a + off, y);
  }
}

/** dz = da ⊙ f'(z), with f' written through the saved output a where that is cheaper. */
export function activationBackward(kind: i32, z: usize, a: usize, da: usize, dz: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(da + off);
    const y = load<f32>(a + off);
    let d: f32;
    if (kind == SIGMOID) d = y * (<f32>1 - y);
    else if (kind == TANH) d = <f32>1 - y * y;
    else d = load<f32>(z + off) > 0 ? <f32>1 : <f32>0;
    store<f32>(dz + off, g * d);
  }
}

/**
 * Row-wise softmax of z[m×n] into probs, cross-entropy against byte labels, and (when dz != 0)
 * the output gradient dz = (probs − onehot) · scale. Writes the arg-max class of each row to
 * preds when preds != 0. Returns the summed loss, computed as logsumexp(z) − z_y for stability.
 */
export function softmaxCrossEntropy(z: usize, labels: usize, probs: usize, dz: usize, preds: usize,
  m: i32, n: i32, scale: f32): f64 {
  let total: f64 = 0;
  const row = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const pz = z + <usize>i * row;
    const pp = probs + <usize>i * row;
    let mx = load<f32>(pz);
    let arg = 0;
    for (let j = 1; j < n; j++) {
      const v = load<f32>(pz + (<usize>j << 2));
      if (v > mx) { mx = v; arg = j; }
    }
    let sum: f32 = 0;
    for (let j = 0; j < n; j++) {
      const e = Mathf.exp(load<f32>(pz + (<usize>j << 2)) - mx);
      store<f32>(pp + (<usize>j << 2), e);
      sum += e;
    }
    const inv = <f32>1 / sum;
    for (let j = 0; j < n; j++) store<f32>(pp + (<usize>j << 2), load<f32>(pp + (<usize>j << 2)) * inv);
    const y = <i32>load<u8>(labels + <usize>i);
    total += <f64>(Mathf.log(sum) + mx - load<f32>(pz + (<usize>y << 2)));
    if (preds) store<u8>(preds + <usize>i, <u8>arg);
    if (dz) {
      const pd = dz + <usize>i * row;
      for (let j = 0; j < n; j++) {
        const t: f32 = j == y ? 1 : 0;
        store<f32>(pd + (<usize>j << 2), (load<f32>(pp + (<usize>j << 2)) - t) * scale);
      }
    }
  }
  return total;
}
