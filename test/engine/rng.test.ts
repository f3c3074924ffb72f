import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-main/engine/rng';

describe('seeded RNG', () => {
  it('repeats a sequence for one seed and stream, and differs across seeds and streams', () => {
    const seq = (seed: number, stream: number) => {
      const r = new Rng(seed, stream);
      return Array.from({ length: 5 }, () => r.nextU32());
    };
    expect(seq(42, 1)).toEqual(seq(42, 1));
    expect(seq(42, 1)).not.toEqual(seq(43, 1));
    expect(seq(42, 1)).not.toEqual(seq(42, 2));
  });

  it('normal() has mean ≈ 0 and variance ≈ 1', () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      ss += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.02);
  });

  it('nextInt is in range and roughly uniform; shuffle is a permutation', () => {
    const r = new Rng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)] += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const a = Int32Array.from({ length: 1000 }, (_, i) => i);
    r.shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect([...a]).not.toEqual([...Array(1000).keys()]);
  });
});
