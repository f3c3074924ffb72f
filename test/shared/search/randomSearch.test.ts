import { describe, expect, it } from 'vitest';
import { drawValue, samplePoints, seededRandom, type Distribution } from '../../../src-shared/search/randomSearch';

const draws = (d: Distribution, n: number, seed = 1): unknown[] => samplePoints([d], n, seed).map((p) => p[d.field]);

describe('random search sampling', () => {
  it('draws uniform numbers inside [min, max], spread over the whole range', () => {
    const xs = draws({ field: 'momentum', distribution: 'uniform', min: 0.2, max: 0.9 }, 2000) as number[];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(0.9);
    // each tenth of the range gets about a tenth of the draws
    const tenths = Array.from({ length: 10 }, (_, k) => xs.filter((x) => x >= 0.2 + 0.07 * k && x < 0.2 + 0.07 * (k + 1)).length);
    for (const n of tenths) expect(n).toBeGreaterThan(140);
  });

  it('draws log-uniform numbers evenly per decade, inside the ends', () => {
    const xs = draws({ field: 'learningRate', distribution: 'logUniform', min: 0.001, max: 1 }, 3000) as number[];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.001);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
    const decades = [0.001, 0.01, 0.1, 1].slice(0, 3).map((lo) => xs.filter((x) => x >= lo && x < lo * 10).length);
    for (const n of decades) expect(n).toBeGreaterThan(850); // ≈ 1000 each; uniform on [0.001, 1] would put 2 in 3000 below 0.01
    // 6 significant digits, so a config reads back as drawn
    for (const x of xs) expect(Number(x.toPrecision(6))).toBe(x);
  });

  it('draws integers with both ends included, each about as often', () => {
    const xs = samplePoints([{ field: 'batchSize', distribution: 'integer', min: 16, max: 20 }, { field: 'momentum', distribution: 'uniform', min: 0, max: 0.5 }], 1000, 3).map((p) => p.batchSize);
    expect(new Set(xs)).toEqual(new Set([16, 17, 18, 19, 20]));
    for (let v = 16; v <= 20; v++) expect(xs.filter((x) => x === v).length).toBeGreaterThan(150);
    expect(drawValue({ field: 'batchSize', distribution: 'integer', min: 16, max: 20 }, 0.999999)).toBe(20);
  });

  it('draws choices among the values given, and never the same configuration twice', () => {
    const points = samplePoints([{ field: 'optimizer', distribution: 'choice', values: ['sgd', 'adam'] }, { field: 'batchSize', distribution: 'integer', min: 1, max: 3 }], 6, 9);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(6);
    expect(() => samplePoints([{ field: 'optimizer', distribution: 'choice', values: ['sgd', 'adam'] }], 3, 9)).toThrow(/only 2 different configurations/);
  });

  it('is reproducible by its seed, and other seeds draw other configurations', () => {
    const fields: Distribution[] = [
      { field: 'learningRate', distribution: 'logUniform', min: 0.001, max: 0.5 },
      { field: 'optimizer', distribution: 'choice', values: ['sgd', 'adam'] },
      { field: 'batchSize', distribution: 'integer', min: 16, max: 256 },
    ];
    expect(samplePoints(fields, 20, 7)).toEqual(samplePoints(fields, 20, 7));
    expect(samplePoints(fields, 20, 7)).not.toEqual(samplePoints(fields, 20, 8));
    // the first draws of a seed do not depend on how many trials follow
    expect(samplePoints(fields, 5, 7)).toEqual(samplePoints(fields, 20, 7).slice(0, 5));
    // the generator itself: fixed sequence for a seed (a change would redraw every stored random sweep)
    const r = seededRandom(42);
    expect([r(), r(), r()].map((x) => x.toFixed(8))).toEqual(['0.60110375', '0.44829056', '0.85246579']);
  });
});
