import { describe, expect, it } from 'vitest';
import { studentCdf, studentQuantile, summarize, welch } from '../../src-shared/stats';

// Hand values: a = [0.41, 0.45, 0.43, 0.47] has mean 0.44, sample std √(0.002/3) = 0.0258199, SE 0.0129099;
// t(0.975; 3) = 3.182446 (table), so the 95 % CI is 0.44 ± 0.041085. Welch against b = [0.38, 0.40, 0.36]:
// difference 0.06, SE √(0.0258199²/4 + 0.02²/3) = 0.0173205, df = 4.959184, t = 3.464102, and the two-sided
// p-value 0.0182018 was integrated numerically from the t density.
describe('statistics of repeated runs', () => {
  it('Student t: CDF and quantiles match tables', () => {
    expect(studentCdf(2, 5)).toBeCloseTo(0.94903026, 7);
    expect(studentCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentQuantile(0.975, 1)).toBeCloseTo(12.7062047, 5);
    expect(studentQuantile(0.975, 3)).toBeCloseTo(3.1824463, 6);
    expect(studentQuantile(0.975, 9)).toBeCloseTo(2.2621572, 6);
    expect(studentQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
  });

  it('mean, sample std, SE and the t-based 95 % CI', () => {
    const s = summarize([0.41, 0.45, 0.43, 0.47]);
    expect(s.n).toBe(4);
    expect(s.mean).toBeCloseTo(0.44, 12);
    expect(s.std).toBeCloseTo(0.0258198890, 9);
    expect(s.se).toBeCloseTo(0.0129099445, 9);
    expect(s.ciLow).toBeCloseTo(0.44 - 0.0410852, 6);
    expect(s.ciHigh).toBeCloseTo(0.44 + 0.0410852, 6);
    expect([s.min, s.max]).toEqual([0.41, 0.47]);
  });

  it('n = 1 has a mean but no spread (NaN, not 0)', () => {
    const s = summarize([0.5]);
    expect(s.n).toBe(1);
    expect(s.mean).toBe(0.5);
    expect(s.std).toBeNaN();
    expect(s.se).toBeNaN();
    expect(s.ciLow).toBeNaN();
    expect(summarize([]).mean).toBeNaN();
  });

  it('identical values have a spread of exactly 0 and their own value as mean, not a rounding residue', () => {
    // (0.1 + 0.1 + 0.1) / 3 rounds to 0.10000000000000002: a naive mean gave std 1.7e-17 and a CI around it
    for (const v of [0.1, 0.4321, 1 / 3, 2.302585092994046, 7e-5, -0.3]) {
      for (const n of [2, 3, 7, 10]) {
        const s = summarize(Array(n).fill(v));
        expect(s.mean).toBe(v);
        expect(s.std).toBe(0);
        expect(s.se).toBe(0);
        expect([s.ciLow, s.ciHigh]).toEqual([v, v]);
      }
    }
  });

  it('a diverged run (NaN or infinite values) is left out of the average and the count', () => {
    const s = summarize([0.41, NaN, 0.45, Infinity, 0.43, 0.47]);
    expect(s.n).toBe(4);
    expect(s.mean).toBeCloseTo(0.44, 12);
  });

  it("Welch's test of two groups", () => {
    const w = welch([0.41, 0.45, 0.43, 0.47], [0.38, 0.4, 0.36]);
    expect(w.difference).toBeCloseTo(0.06, 12);
    expect(w.se).toBeCloseTo(0.0173205081, 9);
    expect(w.df).toBeCloseTo(4.959183673, 8);
    expect(w.t).toBeCloseTo(3.464101615, 8);
    expect(w.p).toBeCloseTo(0.0182018, 6);
    expect(w.ciLow).toBeLessThan(w.difference);
    expect(w.ciHigh - w.difference).toBeCloseTo(w.difference - w.ciLow, 12);
    // symmetric: swapping the groups flips the sign, keeps p
    const back = welch([0.38, 0.4, 0.36], [0.41, 0.45, 0.43, 0.47]);
    expect(back.difference).toBeCloseTo(-0.06, 12);
    expect(back.p).toBeCloseTo(w.p, 12);
  });
});
