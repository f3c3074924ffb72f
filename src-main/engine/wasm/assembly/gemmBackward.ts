// Backward matrix products of the dense layers (layouts: see gemmForward.ts).
// The register micro-kernel is 4 rows × 8 columns: eight f32x4 accumulators.

import { madd } from './madd';

/**
 * G[k×n] (panels) = X[m×k]ᵀ · D[m×n] for an interleaved X and a panelized D: the first
 * layer's weight gradient.
 */
export function gemmTX(x: usize, d: usize, g: usize, m: i32, k: i32, n: i32): void {
  const block = (<usize>k << 4) + 64;
  const panel = <usize>k << 5;
  const m4 = (m + 3) & ~3;
  const panelD = <usize>m4 << 5;
  const panels = (n + 7) >> 3;
  const jump = block - 12;
  for (let p = 0; p < k; p += 4) {
    const xp = x + (<usize>p << 4);
    let pdj = d;
    for (let jb = 0; jb < panels; jb++) {
      const pde = pdj + panelD;
      let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      let pa = xp;
      let r = 0;
      // one row per step: its D values at pd, its X values for columns p+q at pa + 16q; pa walks
      // 4 bytes per row inside a block of 4 rows, then jumps to the next block
      for (let pd = pdj; pd < pde; pd += 32) {
        const b0 = v128.load(pd), b1 = v128.load(pd, 16);
        let v = v128.load32_splat(pa);
        c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
        v = v128.load32_splat(pa, 16);
        c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
        v = v128.load32_splat(pa, 32);
        c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
        v = v128.load32_splat(pa, 48);
        c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
        r = (r + 1) & 3;
        pa += r ? 4 : jump;
      }
      const pg = g + <usize>jb * panel + (<usize>p << 5);
      v128.store(pg, c00); v128.store(pg, c01, 16);
      v128.store(pg, c10, 32); v128.store(pg, c11, 48);
      v128.store(pg, c20, 64); v128.store(pg, c21, 80);
      v128.store(pg, c30, 96); v128.store(pg, c31, 112);
      pdj = pde;
    }
  }
}

/**
 * G[k×n] (panels) = A[m×k]ᵀ · D[m×n] for a row-major A and a panelized D: the weight gradient of
 * the later layers.
 */
export function gemmTA(a: usize, d: usize, g: usize, m: i32, k: i32, n: i32): void {
  const rowA = <usize>k << 2;
  const panel = <usize>k << 5;
  const panelD = <usize>((m + 3) & ~3) << 5;
  const panels = (n + 7) >> 3;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    for (let jb = 0; jb < panels; jb++) {
      let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      let pd = d + <usize>jb * panelD;
      let pa = a + (<usize>p << 2);
      for (let i = 0; i < m; i++) {
        const b0 = v128.load(pd), b1 = v128.load(pd, 16);
        let v = v128.load32_splat(pa);
        c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
        v = v128.load32_splat(pa, 4);
        c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
        v = v128.load32_splat(pa, 8);
        c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
        v = v128.load32_splat(pa, 12);
        c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
        pd += 32;
        pa += rowA;
      }
      const pg = g + <usize>jb * panel + (<usize>p << 5);
      v128.store(pg, c00); v128.store(pg, c01, 16);
      v128.store(pg, c10, 32); v128.store(pg, c11, 48);
      v128.store(pg, c20, 64); v128.store(pg, c21, 80);
      v128.store(pg, c30, 96); v128.store(pg, c31, 112);
    }
  }
  for (; p < k; p++) {
    for (let jb = 0; jb < panels; jb++) {
      let c0 = f32x4.splat(0), c1 = c0;
      let pd = d + <usize>jb * panelD;
      let pa = a + (<usize>p << 2);
      for (let i = 0; i < m; i++) {
        const v = v128.load32_splat(pa);
        c0 = madd(v, v128.load(pd), c0);
        c1 = madd(v, v128.load(pd, 16), c1);
        pd += 32;
        pa += rowA;
      }
      const pg = g + <usize>jb * panel + (<usize>p << 5);
      v128.store(pg, c0); v128.store(pg, c1, 16);
    }
  }
}

/** Sum of the four lanes of each of a, b, c, d, as one vector. */
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(i32x4.shuffle(a, b, 0, 1, 4, 5), i32x4.shuffle(a, b, 2, 3, 6, 7));
  const cd = f32x4.add(i32x4.shuffle(c, d, 0, 1, 4, 5), i32x4.shuffle(c, d, 2, 3, 6, 7));
  return f32x4.add(i32x4.shuffle(ab, cd, 0, 2, 4, 6), i32x4.shuffle(ab, cd, 1, 3, 5, 7));
}

/**
 * Y[m×k] (row-major) = D[m×n] · W[k×n]ᵀ with D panelized: the input gradient dZ·Wᵀ. Four
 * outputs of a row at a time share the loads of D; each is a dot product over W's panels.
 */
export function gemmNT(d: usize, w: usize, y: usize, m: i32, k: i32, n: i32): void {
  const panel = <usize>k << 5;
  const panelD = <usize>((m + 3) & ~3) << 5;
  const panels = (n + 7) >> 3;
  for (let i = 0; i < m; i++) {
    const pd0 = d + (<usize>i << 5);
    const py = y + (<usize>(i * k) << 2);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
      let pw = w + (<usize>p << 5);
      let pd = pd0;
      for (let jb = 0; jb < panels; jb++) {
        const d0 = v128.load(pd), d1 = v128.load(pd, 16);
        s0 = f32x4.add(s0, madd(d1, v128.load(pw, 16), f32x4.mul(d0, v128.load(pw))));
        s1 = f32x4.add(s1, madd(d1, v128.load(pw, 48), f32x4.mul(d0, v128.load(pw, 32))));
        s2 = f32x4.add(s2, madd(d1, v128.load(pw, 80), f32x4.mul(d0, v128.load(pw, 64))));
        s3 = f32x4.add(s3, madd(d1, v128.load(pw, 112), f32x4.mul(d0, v128.load(pw, 96))));
        pd += panelD;
        pw += panel;
      }
      v128.store(py + (<usize>p << 2), hsum4(s0, s1, s2, s3));
    }
    for (; p < k; p++) {
      let s = f32x4.splat(0);
      let pw = w + (<usize>p << 5);
      let pd = pd0;
      for (let jb = 0; jb < panels; jb++) {
        s = f32x4.add(s, madd(v128.load(pd, 16), v128.load(pw, 16), f32x4.mul(v128.load(pd), v128.load(pw))));
        pd += panelD;
        pw += panel;
      }
      store<f32>(py + (<usize>p << 2),
        f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
    }
  }
}

/**
 * Dp = Z[m×n] (row-major) laid out in zero-padded panels of 8 columns and ⌈m/4⌉·4 rows: the
 * form of the output gradient that gemmTX, gemmTA and gemmNT read.
 */
export function panelize(z: usize, dp: usize, m: i32, n: i32): void {
  const m4 = (m + 3) & ~3;
  const panels = (n + 7) >> 3;
  memory.fill(dp, 0, <usize>(panels * m4) << 5);
  for (let i = 0; i < m; i++) {
    const src = z + (<usize>(i * n) << 2);
    for (let jb = 0; jb < panels; jb++) {
      const cols = min(8, n - (jb << 3));
      memory.copy(dp + ((<usize>(jb * m4 + i)) << 5), src + (<usize>(jb << 3) << 2), <usize>cols << 2);
    }
  }
}

/** out[n] = Σ_i Z[i, :] for Z[m×n] row-major: the bias gradient. */
export function colSum(z: usize, out: usize, m: i32, n: i32): void {
  const row = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const off = <usize>j << 2;
    let s = f32x4.splat(0);
    for (let i = 0; i < m; i++) s = f32x4.add(s, v128.load(z + <usize>i * row + off));
    v128.store(out + off, s);
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    for (let i = 0; i < m; i++) s += load<f32>(z + <usize>i * row + (<usize>j << 2));
    store<f32>(out + (<usize>j << 2), s);
  }
}
