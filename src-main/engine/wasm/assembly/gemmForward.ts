// Forward matrix products of the dense layers, f32, byte addresses (backward ones: gemmBackward.ts).
//
// Layouts (chosen so the hot loops stream memory sequentially and never pack at run time):
// - weights W[k×n] live in panels of 8 columns: panel jb holds W[p, 8jb..8jb+8] for p = 0..k,
//   so element (p, j) is at ((j>>3)·k + p)·8 + (j&7); the last panel is zero-padded.
// - the input batch X[m×k] is 4-row interleaved: element (i, p) at (i>>2)·(4k + 16) + 4p + (i&3)
//   floats, with m rounded up to a multiple of 4 (see batch.ts). The 64 bytes of padding per block
//   keep the blocks of one column strip in different L1 sets (4k floats alone is a multiple of 4 KiB). The four broadcasts of one step then
//   sit at immediate offsets of one pointer, which V8 turns into plain addressing modes.
// - everything else is row-major, except the output gradient D[m×n] fed to the backward products:
//   panelize() lays it out in panels of 8 columns like W (element (i, j) at ((j>>3)·m4 + i)·8 + (j&7),
//   m4 = m rounded up to 4), zero-padded, so consecutive rows of a panel are 32 bytes apart.
// The register micro-kernel is 4 rows × 8 columns: eight f32x4 accumulators.

import { madd } from './madd';

/** Stores the first `count` (0..4) lanes of v at p. */
@inline function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) { v128.store(p, v); return; }
  if (count > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Stores the first `count` (1..8) columns of a row held in two vectors. */
@inline function storeRow(p: usize, lo: v128, hi: v128, count: i32): void {
  if (count >= 8) { v128.store(p, lo); v128.store(p, hi, 16); return; }
  storeLanes(p, lo, count);
  if (count > 4) storeLanes(p + 16, hi, count - 4);
}

/**
 * C[m4×n] (row-major, m4 = m rounded up to 4) = X[m×k] · W[k×n] + bias[n8] for an interleaved X.
 * The forward product of the first layer, the hottest loop of training.
 */
export function gemmXW(x: usize, w: usize, bias: usize, c: usize, m: i32, k: i32, n: i32): void {
  const rowC = <usize>n << 2;
  const block = (<usize>k << 4) + 64;
  const panel = <usize>k << 5;
  // panel-outer order: one 32·k-byte panel of W stays in L2 while the row blocks of X stream past
  // it (W of the first layer is larger than L2, X is not)
  let pw = w;
  for (let j = 0; j < n; j += 8) {
    const s0 = v128.load(bias + (<usize>j << 2)), s1 = v128.load(bias + (<usize>j << 2), 16);
    const cols = n - j;
    for (let i = 0; i < m; i += 4) {
      const xa = x + <usize>(i >> 2) * block;
      const xe = xa + block - 64;
      let c00 = s0, c01 = s1, c10 = s0, c11 = s1, c20 = s0, c21 = s1, c30 = s0, c31 = s1;
      let pb = pw;
      for (let pa = xa; pa < xe; pa += 16) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let v = v128.load32_splat(pa);
        c00 = madd(v, b0, c00);
        c01 = madd(v, b1, c01);
        v = v128.load32_splat(pa, 4);
        c10 = madd(v, b0, c10);
        c11 = madd(v, b1, c11);
        v = v128.load32_splat(pa, 8);
        c20 = madd(v, b0, c20);
        c21 = madd(v, b1, c21);
        v = v128.load32_splat(pa, 12);
        c30 = madd(v, b0, c30);
        c31 = madd(v, b1, c31);
        pb += 32;
      }
      const pc = c + <usize>i * rowC + (<usize>j << 2);
      storeRow(pc, c00, c01, cols);
      storeRow(pc + rowC, c10, c11, cols);
      storeRow(pc + 2 * rowC, c20, c21, cols);
      storeRow(pc + 3 * rowC, c30, c31, cols);
    }
    pw += panel;
  }
}

/** C[m×n] = A[m×k] · W[k×n] + bias[n8] for a row-major A: the hidden and output layers. */
export function gemmAW(a: usize, w: usize, bias: usize, c: usize, m: i32, k: i32, n: i32): void {
  const rowA = <usize>k << 2;
  const rowC = <usize>n << 2;
  const panel = <usize>k << 5;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * rowA;
    const ae = a0 + rowA;
    let pw = w;
    for (let j = 0; j < n; j += 8) {
      const s0 = v128.load(bias + (<usize>j << 2)), s1 = v128.load(bias + (<usize>j << 2), 16);
      let c00 = s0, c01 = s1, c10 = s0, c11 = s1, c20 = s0, c21 = s1, c30 = s0, c31 = s1;
      let pb = pw;
      for (let p0 = a0; p0 < ae; p0 += 4) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let v = v128.load32_splat(p0);
        c00 = madd(v, b0, c00);
        c01 = madd(v, b1, c01);
        v = v128.load32_splat(p0 + rowA);
        c10 = madd(v, b0, c10);
        c11 = madd(v, b1, c11);
        v = v128.load32_splat(p0 + 2 * rowA);
        c20 = madd(v, b0, c20);
        c21 = madd(v, b1, c21);
        v = v128.load32_splat(p0 + 3 * rowA);
        c30 = madd(v, b0, c30);
        c31 = madd(v, b1, c31);
        pb += 32;
      }
      pw += panel;
      const cols = n - j;
      const pc = c + <usize>i * rowC + (<usize>j << 2);
      storeRow(pc, c00, c01, cols);
      storeRow(pc + rowC, c10, c11, cols);
      storeRow(pc + 2 * rowC, c20, c21, cols);
      storeRow(pc + 3 * rowC, c30, c31, cols);
    }
  }
  for (; i < m; i++) {
    const a0 = a + <usize>i * rowA;
    const ae = a0 + rowA;
    let pw = w;
    for (let j = 0; j < n; j += 8) {
      let c0 = v128.load(bias + (<usize>j << 2)), c1 = v128.load(bias + (<usize>j << 2), 16);
      let pb = pw;
      for (let p0 = a0; p0 < ae; p0 += 4) {
        const v = v128.load32_splat(p0);
        c0 = madd(v, v128.load(pb), c0);
        c1 = madd(v, v128.load(pb, 16), c1);
        pb += 32;
      }
      pw += panel;
      storeRow(c + <usize>i * rowC + (<usize>j << 2), c0, c1, n - j);
    }
  }
}
