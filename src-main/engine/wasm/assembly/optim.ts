// Parameter updates. The L2 term λw is added to the gradient before the update, so both
// optimizers see it (PyTorch's coupled weight_decay): w ← w − γ(∇J + λw) for plain SGD.

/** SGD with optional momentum (PyTorch form: v ← μv + g, w ← w − γv). */
export function sgdStep(w: usize, g: usize, vel: usize, len: i32, lr: f32, momentum: f32, l2: f32): void {
  const end = w + (<usize>len << 2);
  let pg = g, pv = vel;
  const vl2 = f32x4.splat(l2), vlr = f32x4.splat(lr), vmu = f32x4.splat(momentum);
  let p = w;
  if (momentum == 0) {
    for (; p + 16 <= end; p += 16) {
      const wv = v128.load(p);
      const gv = f32x4.add(v128.load(pg), f32x4.mul(vl2, wv));
      v128.store(p, f32x4.sub(wv, f32x4.mul(vlr, gv)));
      pg += 16;
    }
    for (; p < end; p += 4) {
      const wv = load<f32>(p);
      store<f32>(p, wv - lr * (load<f32>(pg) + l2 * wv));
      pg += 4;
    }
    return;
  }
  for (; p + 16 <= end; p += 16) {
    const wv = v128.load(p);
    const gv = f32x4.add(v128.load(pg), f32x4.mul(vl2, wv));
    const vv = f32x4.add(f32x4.mul(vmu, v128.load(pv)), gv);
    v128.store(pv, vv);
    v128.store(p, f32x4.sub(wv, f32x4.mul(vlr, vv)));
    pg += 16; pv += 16;
  }
  for (; p < end; p += 4) {
    const wv = load<f32>(p);
    const vv = momentum * load<f32>(pv) + load<f32>(pg) + l2 * wv;
    store<f32>(pv, vv);
    store<f32>(p, wv - lr * vv);
    pg += 4; pv += 4;
  }
}

/**
 * Adam with bias correction: m ← β1m + (1−β1)g, v ← β2v + (1−β2)g²,
 * w ← w − γ·(m/bc1)/(√(v/bc2) + ε) where bc = 1 − βᵗ is passed in by the caller.
 */
export function adamStep(w: usize, g: usize, m: usize, v: usize, len: i32, lr: f32, beta1: f32, beta2: f32,
  eps: f32, bc1: f32, bc2: f32, l2: f32): void {
  const vl2 = f32x4.splat(l2), vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2);
  const vc1 = f32x4.splat(1 - beta1), vc2 = f32x4.splat(1 - beta2);
  const vlr = f32x4.splat(lr / bc1), vbc2 = f32x4.splat(<f32>1 / bc2), veps = f32x4.splat(eps);
  const end = w + (<usize>len << 2);
  let p = w, pg = g, pm = m, pv = v;
  for (; p + 16 <= end; p += 16) {
    const wv = v128.load(p);
    const gv = f32x4.add(v128.load(pg), f32x4.mul(vl2, wv));
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(pm)), f32x4.mul(vc1, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(pv)), f32x4.mul(vc2, f32x4.mul(gv, gv)));
    v128.store(pm, mv);
    v128.store(pv, vv);
    const den = f32x4.add(f32x4.sqrt(f32x4.mul(vv, vbc2)), veps);
    v128.store(p, f32x4.sub(wv, f32x4.div(f32x4.mul(vlr, mv), den)));
    pg += 16; pm += 16; pv += 16;
  }
  for (; p < end; p += 4) {
    const wv = load<f32>(p);
    const gv = load<f32>(pg) + l2 * wv;
    const mv = beta1 * load<f32>(pm) + (1 - beta1) * gv;
    const vv = beta2 * load<f32>(pv) + (1 - beta2) * gv * gv;
    store<f32>(pm, mv);
    store<f32>(pv, vv);
    store<f32>(p, wv - (lr / bc1) * mv / (Mathf.sqrt(vv / bc2) + eps));
    pg += 4; pm += 4; pv += 4;
  }
}

/** Σ w² in f64, for the L2 part of the objective. */
export function sumSquares(w: usize, len: i32): f64 {
  let s: f64 = 0;
  const end = w + (<usize>len << 2);
  for (let p = w; p < end; p += 4) {
    const x = <f64>load<f32>(p);
    s += x * x;
  }
  return s;
}
