// Turns a batch of raw CIFAR pixel bytes into the floats of the input layer:
// x = byte · scale[c] + shift[c] for the colour plane c of each pixel. Plain /255 scaling and
// per-channel standardisation are both this one affine map, with different constants.
// The output is 4-row interleaved with a 64-byte pad per block of 4 rows, the layout gemmXW and
// gemmTX read the input batch in (see gemmForward.ts).

/**
 * src holds m rows of `features` bytes (planes of `plane` pixels each, plane a multiple of 16);
 * dst receives ⌈m/4⌉·4 interleaved rows (missing rows of the last block repeat row m−1).
 * scale and shift point at one f32 per plane.
 */
export function bytesToFloat(src: usize, dst: usize, m: i32, features: i32, plane: i32, scale: usize, shift: usize): void {
  const planes = features / plane;
  const row = <usize>features;
  let pd = dst;
  for (let i = 0; i < m; i += 4) {
    const r0 = src + <usize>i * row;
    const r1 = src + <usize>min(i + 1, m - 1) * row;
    const r2 = src + <usize>min(i + 2, m - 1) * row;
    const r3 = src + <usize>min(i + 3, m - 1) * row;
    let off: usize = 0;
    for (let c = 0; c < planes; c++) {
      const va = f32x4.splat(load<f32>(scale + (<usize>c << 2)));
      const vb = f32x4.splat(load<f32>(shift + (<usize>c << 2)));
      const end = off + <usize>plane;
      for (; off < end; off += 16) {
        const b0 = v128.load(r0 + off), b1 = v128.load(r1 + off), b2 = v128.load(r2 + off), b3 = v128.load(r3 + off);
        pd = quad(pd, i16x8.extend_low_i8x16_u(b0), i16x8.extend_low_i8x16_u(b1),
          i16x8.extend_low_i8x16_u(b2), i16x8.extend_low_i8x16_u(b3), va, vb);
        pd = quad(pd, i16x8.extend_high_i8x16_u(b0), i16x8.extend_high_i8x16_u(b1),
          i16x8.extend_high_i8x16_u(b2), i16x8.extend_high_i8x16_u(b3), va, vb);
      }
    }
    pd += 64;
  }
}

/** Converts 8 pixels of 4 rows (u16 lanes) and stores them as 8 interleaved groups of 4 rows. */
@inline function quad(pd: usize, h0: v128, h1: v128, h2: v128, h3: v128, va: v128, vb: v128): usize {
  pd = tile(pd, i32x4.extend_low_i16x8_u(h0), i32x4.extend_low_i16x8_u(h1),
    i32x4.extend_low_i16x8_u(h2), i32x4.extend_low_i16x8_u(h3), va, vb);
  return tile(pd, i32x4.extend_high_i16x8_u(h0), i32x4.extend_high_i16x8_u(h1),
    i32x4.extend_high_i16x8_u(h2), i32x4.extend_high_i16x8_u(h3), va, vb);
}

/** 4 rows × 4 pixels (i32 lanes) → affine map → transposed into 4 pixels × 4 rows. */
@inline function tile(pd: usize, q0: v128, q1: v128, q2: v128, q3: v128, va: v128, vb: v128): usize {
  const f0 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(q0), va), vb);
  const f1 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(q1), va), vb);
  const f2 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(q2), va), vb);
  const f3 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(q3), va), vb);
  const t0 = i32x4.shuffle(f0, f1, 0, 4, 1, 5), t1 = i32x4.shuffle(f2, f3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(f0, f1, 2, 6, 3, 7), t3 = i32x4.shuffle(f2, f3, 2, 6, 3, 7);
  v128.store(pd, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(pd, i64x2.shuffle(t0, t1, 1, 3), 16);
  v128.store(pd, i64x2.shuffle(t2, t3, 0, 2), 32);
  v128.store(pd, i64x2.shuffle(t2, t3, 1, 3), 48);
  return pd + 64;
}
