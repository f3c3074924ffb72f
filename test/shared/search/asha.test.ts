import { describe, expect, it } from 'vitest';
import { ashaDecide, ashaVerdict, compareValues, rungsFor, type AshaDecision, type AshaSeed, type AshaSettings, type AshaTable } from '../../../src-shared/search/asha';

/**
 * A hand-made table: per configuration, its seeds' metric by epoch (index 0 = epoch 1). A seed is live
 * (still to train) unless marked; `epochs` is what the configuration trains when never stopped.
 */
type SeedRow = { values: number[]; live?: boolean; diverged?: boolean };
function table(configs: Record<string, SeedRow[]>, epochs = 9, decisions: AshaDecision[] = []): AshaTable {
  const seeds: AshaSeed[] = [];
  const points: AshaTable['points'][number][] = [];
  for (const [config, rows] of Object.entries(configs)) {
    rows.forEach((row, seed) => {
      seeds.push({ config, seed, epochsDone: row.values.length, live: row.live ?? true, diverged: row.diverged ?? false });
      row.values.forEach((value, i) => points.push({ config, seed, epoch: i + 1, value }));
    });
  }
  return { configs: Object.keys(configs).map((key) => ({ key, epochs })), seeds, points, decisions };
}
const at = (v: number): SeedRow => ({ values: [v] });
const queued: SeedRow = { values: [] };
const eta3: AshaSettings = { minEpochs: 1, reductionFactor: 3, direction: 'max' };
const brief = (ds: AshaDecision[]): string[] => ds.map((d) => `${d.config}@${d.rung}:${d.decision}`);

describe('ASHA rungs and ranking', () => {
  it('puts rungs at minEpochs·η^k below the epochs', () => {
    expect(rungsFor(20, 2, 3)).toEqual([2, 6, 18]);
    expect(rungsFor(18, 2, 3)).toEqual([2, 6]);
    expect(rungsFor(20, 1, 2)).toEqual([1, 2, 4, 8, 16]);
    expect(rungsFor(2, 2, 3)).toEqual([]);
  });

  it('ranks NaN last in both directions', () => {
    expect([3, NaN, 5, 1].sort((a, b) => compareValues(a, b, 'max'))).toEqual([5, 3, 1, NaN]);
    expect([3, NaN, 5, 1].sort((a, b) => compareValues(a, b, 'min'))).toEqual([1, 3, 5, NaN]);
  });
});

describe('ASHA promotion rule on the seed mean', () => {
  it('a single configuration passes every rung once its seeds reach it', () => {
    const ds = ashaDecide(eta3, table({ A: [at(0.1), at(0.2), at(0.3)] }));
    expect(ds).toEqual([{ config: 'A', rung: 1, decision: 'promoted', value: expect.closeTo(0.2, 12), rank: 1, of: 1 }]);
  });

  it('waits for every seed of a configuration that is still to train, whatever order they finish in', () => {
    // seed 2 of A reached the rung first; seeds 0 and 1 are still training: A has not reached it
    const t = table({ A: [queued, queued, at(0.9)], B: [at(0.5), at(0.5), at(0.5)] });
    expect(brief(ashaDecide(eta3, t))).toEqual([]);
    // now A's other seeds arrive (out of order): A is judged on all three
    const done = table({ A: [at(0.9), at(0.8), at(0.9)], B: [at(0.5), at(0.5), at(0.5)], C: [queued, queued, queued] });
    const ds = ashaDecide(eta3, done);
    // two configurations reached the rung and C can still come: ⌊2/3⌋ = 0 may pass yet
    expect(ds).toEqual([]);
    const withC = table({ A: [at(0.9), at(0.8), at(0.9)], B: [at(0.5), at(0.5), at(0.5)], C: [at(0.6), at(0.6), at(0.6)] });
    expect(brief(ashaDecide(eta3, withC))).toEqual(['A@1:promoted', 'C@1:pruned', 'B@1:pruned']);
  });

  it('judges a configuration whose seeds straddle the cut on their mean, not its best seed', () => {
    // A has the single best run (0.60) but a bad seed; B is steady: per-run ASHA would keep A's seed
    const t = table({ A: [at(0.6), at(0.2), at(0.25)], B: [at(0.45), at(0.44), at(0.46)], C: [at(0.3), at(0.3), at(0.3)] });
    const ds = ashaDecide(eta3, t);
    expect(brief(ds)).toEqual(['B@1:promoted', 'A@1:pruned', 'C@1:pruned']);
    expect(ds[1]).toMatchObject({ value: expect.closeTo(0.35, 12), rank: 2, of: 3 });
  });

  it('breaks a tie at the cut in favour of the earlier configuration of the sweep', () => {
    const t = table({ A: [at(0.3)], B: [at(0.5)], C: [at(0.5)] });
    expect(ashaDecide(eta3, t)).toEqual([
      { config: 'B', rung: 1, decision: 'promoted', value: 0.5, rank: 1, of: 3 },
      { config: 'C', rung: 1, decision: 'pruned', value: 0.5, rank: 2, of: 3 },
      { config: 'A', rung: 1, decision: 'pruned', value: 0.3, rank: 3, of: 3 },
    ]);
  });

  it('ranks by the direction: lowest loss first with min', () => {
    const t = table({ A: [at(2.1), at(2.3)], B: [at(1.5), at(1.7)], C: [at(1.9), at(1.9)] });
    expect(brief(ashaDecide({ ...eta3, direction: 'min' }, t))).toEqual(['B@1:promoted', 'C@1:pruned', 'A@1:pruned']);
    expect(brief(ashaDecide(eta3, t))).toEqual(['A@1:promoted', 'C@1:pruned', 'B@1:pruned']);
  });

  it('keeps ⌈n/η⌉ of a complete rung: 2 of 6 with η 3, 3 of 6 with η 2', () => {
    const six = { A: [at(0.1)], B: [at(0.6)], C: [at(0.3)], D: [at(0.5)], E: [at(0.2)], F: [at(0.4)] };
    const kept = (eta: number) => ashaDecide({ ...eta3, reductionFactor: eta }, table(six)).filter((d) => d.decision === 'promoted').map((d) => d.config);
    expect(kept(3)).toEqual(['B', 'D']);
    expect(kept(2)).toEqual(['B', 'D', 'F']);
    // 7 configurations: ⌈7/3⌉ = 3 with η 3, ⌈7/2⌉ = 4 with η 2
    const seven = { ...six, G: [at(0.05)] };
    expect(ashaDecide(eta3, table(seven)).filter((d) => d.decision === 'promoted')).toHaveLength(3);
    expect(ashaDecide({ ...eta3, reductionFactor: 2 }, table(seven)).filter((d) => d.decision === 'promoted')).toHaveLength(4);
  });

  it('is asynchronous: promotes ⌊n/η⌋ as configurations arrive and prunes only when the rung is complete', () => {
    const later = [queued];
    const first = table({ A: [at(0.3)], B: [at(0.5)], C: [at(0.4)], D: later, E: later, F: later });
    const d1 = ashaDecide(eta3, first);
    expect(brief(d1)).toEqual(['B@1:promoted']);
    // D arrives better than B: ⌊4/3⌋ = 1 is already promoted, so D waits; B stays promoted
    const second = table({ A: [at(0.3)], B: [at(0.5)], C: [at(0.4)], D: [at(0.9)], E: later, F: later }, 9, d1);
    expect(ashaDecide(eta3, second)).toEqual([]);
    // at 6 arrived a second may pass: the best of those waiting (D), not the latest
    const third = table({ A: [at(0.3)], B: [at(0.5)], C: [at(0.4)], D: [at(0.9)], E: [at(0.1)], F: [at(0.2)] }, 9, d1);
    expect(brief(ashaDecide(eta3, third))).toEqual(['D@1:promoted', 'C@1:pruned', 'A@1:pruned', 'F@1:pruned', 'E@1:pruned']);
  });

  it('promotes the best configuration of a rung even when it arrives after the last ⌊n/η⌋ step', () => {
    const d1 = ashaDecide(eta3, table({ A: [at(0.3)], B: [at(0.5)], C: [at(0.4)], D: [queued] }));
    expect(brief(d1)).toEqual(['B@1:promoted']);
    // D is the best and arrives 4th: ⌈4/3⌉ = 2 once complete, so it passes too
    expect(brief(ashaDecide(eta3, table({ A: [at(0.3)], B: [at(0.5)], C: [at(0.4)], D: [at(0.7)] }, 9, d1)))).toEqual(['D@1:promoted', 'C@1:pruned', 'A@1:pruned']);
  });

  it('goes rung by rung: only configurations promoted at 1 reach 3', () => {
    // η 3, epochs 9: rungs 1 and 3. A and B reached epoch 3; C was pruned at 1 with its seeds stopped there
    const rows = { A: [{ values: [0.5, 0.6, 0.7] }], B: [{ values: [0.6, 0.6, 0.65] }], C: [{ values: [0.1], live: false }], D: [{ values: [0.2], live: false }] };
    const before: AshaDecision[] = [
      { config: 'A', rung: 1, decision: 'promoted', value: 0.5, rank: 1, of: 1 },
      { config: 'B', rung: 1, decision: 'promoted', value: 0.6, rank: 1, of: 3 },
      { config: 'C', rung: 1, decision: 'pruned', value: 0.1, rank: 4, of: 4 },
      { config: 'D', rung: 1, decision: 'pruned', value: 0.2, rank: 3, of: 4 },
    ];
    expect(ashaDecide(eta3, table(rows, 9, before))).toEqual([
      { config: 'A', rung: 3, decision: 'promoted', value: 0.7, rank: 1, of: 2 },
      { config: 'B', rung: 3, decision: 'pruned', value: 0.65, rank: 2, of: 2 },
    ]);
  });

  it('does not wait for seeds that ended otherwise; a diverged seed makes its configuration the worst', () => {
    const t = table({
      A: [at(0.9), { values: [0.9], diverged: true, live: false }],
      B: [at(0.4), { values: [], live: false }], // failed before the rung: B is judged on its one seed
      C: [at(0.3)],
    });
    const ds = ashaDecide(eta3, t);
    expect(brief(ds)).toEqual(['B@1:promoted', 'C@1:pruned', 'A@1:pruned']);
    expect(Number.isNaN(ds[2].value)).toBe(true);
  });
});

describe('what a run does after an epoch', () => {
  const rungs = [2, 6, 18];
  it('continues between rungs, waits at a rung not passed, stops when pruned', () => {
    expect(ashaVerdict(rungs, new Map(), 1)).toBe('continue');
    expect(ashaVerdict(rungs, new Map(), 2)).toBe('wait');
    expect(ashaVerdict(rungs, new Map([[2, 'promoted']]), 3)).toBe('continue');
    expect(ashaVerdict(rungs, new Map([[2, 'promoted']]), 6)).toBe('wait');
    expect(ashaVerdict(rungs, new Map([[2, 'promoted'], [6, 'pruned']]), 4)).toBe('prune');
    expect(ashaVerdict(rungs, new Map([[2, 'promoted'], [6, 'promoted'], [18, 'promoted']]), 19)).toBe('continue');
  });
});
