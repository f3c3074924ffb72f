// Activations and the softmax + cross-entropy loss. Sizes here are batch × width (small),
// so these stay scalar; the matrix products dominate the time.

const SIGMOID: i32 = 0;
const TANH: i32 = 1;
const RELU: i32 = 2;

/** a = f(z) elementwise for `len` floats; f is sigmoid, tanh or relu by `kind`. */
export function activationForward(kind: i32, z: usize, a: usize, len: i32): void {
  const end = z + (<usize>len << 2);
  let pa = a;
  for (let p = z; p < end; p += 4) {
    const x = load<f32>(p);
    let y: f32;
    if (kind == SIGMOID) y = <f32>1 / (<f32>1 + Mathf.exp(-x));
    else if (kind == TANH) y = Mathf.tanh(x);
    else y = x > 0 ? x : <f32>0;
    store<f32>(pa, y);
    pa += 4;
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
