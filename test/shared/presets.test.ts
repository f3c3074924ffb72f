import { describe, expect, it } from 'vitest';
import { logRange, PRESETS } from '../../src-shared/presets';
import { parseSweepSpec } from '../../src-shared/sweep';

describe('report presets', () => {
  it('are valid sweeps of 10 repeats × 20 epochs with the report grids', () => {
    const counts = Object.fromEntries(PRESETS.map((p) => [p.id, parseSweepSpec(p.spec).count]));
    expect(counts).toEqual({ defaults: 10, fig1: 30, fig2: 120, fig3: 40 });
    for (const p of PRESETS) expect(parseSweepSpec(p.spec).spec).toMatchObject({ repeats: 10, base: { epochs: 20 } });
  });

  it('logRange spaces values evenly in log10', () => {
    expect(logRange(0.001, 1, 4)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(logRange(1e-4, 1e-2, 3)).toEqual([0.0001, 0.001, 0.01]);
    expect(() => logRange(0, 1, 3)).toThrow(/positive ends/);
  });

  it('logRange refuses more values than an axis may hold instead of building them', () => {
    expect(logRange(0.001, 1, 1000)).toHaveLength(1000);
    expect(() => logRange(0.001, 1, 1_000_000)).toThrow('a log range has at most 1,000 values (the most an axis may hold); 1,000,000 asked for');
    expect(() => logRange(0.001, 1, 1001)).toThrow(/at most 1,000 values/);
  });
});
