import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupConfusion, groupRuns, groupSeries, type Metric, type RunWithEpochs } from '../../src-shared/aggregate';
import { atEpoch, bestAccuracies, bests, compareDataFromRuns, finals, groupCompare } from '../../src-shared/compareData';
import { summarize } from '../../src-shared/stats';
import { Store } from '../../src-main/store/store';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const dir = mkdtempSync(join(tmpdir(), 'compare-query-'));
let store: Store;
let first: number;
let second: number;
const METRICS: Metric[] = ['testAccuracy', 'testLoss', 'trainLoss', 'trainAccuracy', 'objective'];

beforeAll(() => {
  store = new Store(join(dir, 'compare.sqlite'), 'test');
  // group 0: three identical seeds; group 1: spread, one diverged (NaN from epoch 3) and one failed run; group 2: all unfinished
  const accuracy = (run: number, group: number, epoch: number): number => (group === 0 ? 0.1 * epoch : group === 1 && run % 5 === 2 && epoch >= 3 ? NaN : 0.2 + 0.013 * ((run * 7) % 11) + 0.02 * epoch);
  first = writeFinishedRuns(store, {
    name: 'mixed', learningRates: [0.1, 0.2, 0.3], repeats: 5, epochs: 4, accuracy,
    status: (run) => (run >= 10 ? 'cancelled' : run % 5 === 2 ? 'diverged' : run % 5 === 4 ? 'failed' : 'finished'),
  });
  second = writeFinishedRuns(store, { name: 'other', learningRates: [0.2, 0.5], repeats: 3, epochs: 6, accuracy: (run, group, epoch) => 0.3 + 0.01 * run + 0.03 * group + 0.01 * epoch });
  // a finished run whose metric is infinite at its last epoch, and one without epochs at all
  const last = store.runIds(second).at(-1)!;
  store.db.prepare('UPDATE epochs SET test_loss = ? WHERE run_id = ? AND epoch = 6').run(Infinity, last);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every number of a comparison compared with the in-memory groups computed from every epoch row. */
function expectSameAsRuns(ids: number[], metric: Metric, byFields?: ('learningRate' | 'epochs')[]): void {
  const runs: RunWithEpochs[] = ids.flatMap((id) => store.experimentResults(id));
  const fromSql = groupCompare(store.compareResults(ids, metric), byFields);
  const reference = groupRuns([...runs].sort((a, b) => a.id - b.id), byFields);
  expect(fromSql.map((g) => [g.key, g.label, g.included.map((r) => r.id), g.excluded.map((r) => [r.id, r.status])])).toEqual(
    reference.map((g) => [g.key, g.label, g.included.map((r) => r.id), g.excluded.map((r) => [r.id, r.status])]),
  );
  // and the in-memory equivalent of the query gives the same data, to rounding
  expect(groupCompare(compareDataFromRuns(runs, metric), byFields).map((g) => g.series.map((p) => p.n))).toEqual(fromSql.map((g) => g.series.map((p) => p.n)));
  fromSql.forEach((g, i) => {
    const ref = reference[i];
    const series = groupSeries(ref, metric);
    expect(g.series.map((p) => [p.epoch, p.n])).toEqual(series.map((p) => [p.epoch, p.n]));
    g.series.forEach((p, k) => {
      for (const stat of ['mean', 'std', 'se', 'ciLow', 'ciHigh', 'min', 'max'] as const) {
        if (Number.isNaN(series[k][stat])) expect(p[stat]).toBeNaN();
        else expect(p[stat]).toBeCloseTo(series[k][stat], 12);
      }
    });
    const last = (r: RunWithEpochs): number => r.epochs.at(-1)?.[metric] ?? NaN;
    const finite = (r: RunWithEpochs, m: Metric): number[] => r.epochs.map((e) => e[m]).filter(Number.isFinite);
    const best = (r: RunWithEpochs): number => (metric.includes('Accuracy') ? Math.max : Math.min)(...finite(r, metric));
    expect(summarize(finals(g))).toEqual(summarize(ref.included.map(last)));
    expect(bests(g)).toEqual(ref.included.map(best));
    expect(bestAccuracies(g)).toEqual(ref.included.map((r) => Math.max(...finite(r, 'testAccuracy'))));
    expect(atEpoch(g, 2).mean).toBe(g.series[1]?.mean ?? NaN);
    const confusion = groupConfusion(ref);
    if (!confusion) expect(g.confusion).toBeNull();
    else {
      expect(g.confusion!.n).toBe(confusion.n);
      g.confusion!.mean.forEach((v, k) => expect(v).toBeCloseTo(confusion.mean[k], 12));
      g.confusion!.perClass.forEach((s, k) => expect(s.mean).toBeCloseTo(confusion.perClass[k].mean, 12));
      g.confusion!.perClass.forEach((s, k) => expect(s.std).toBeCloseTo(confusion.perClass[k].std, 12));
    }
  });
}

describe('the comparison aggregated in SQL', () => {
  it('gives every group, run, series point, final, best and confusion matrix that the epoch rows give, for every metric', () => {
    for (const metric of METRICS) expectSameAsRuns([first], metric);
  });

  it('merges configs when grouping by chosen fields, also across experiments', () => {
    for (const metric of ['testAccuracy', 'testLoss'] as const) {
      expectSameAsRuns([first, second], metric);
      expectSameAsRuns([first, second], metric, ['learningRate']);
      expectSameAsRuns([first, second], metric, ['epochs']);
      expectSameAsRuns([first, second], metric, []);
    }
  });

  it('gives identical values their own mean and a spread of exactly 0', () => {
    const [identical] = groupCompare(store.compareResults([first], 'testAccuracy'));
    expect(identical.series.map((p) => p.n)).toEqual([3, 3, 3, 3]);
    expect(identical.series.map((p) => p.mean)).toEqual([1, 2, 3, 4].map((e) => 0.1 * e));
    expect(identical.series.map((p) => p.std)).toEqual([0, 0, 0, 0]);
    const merged = groupCompare(store.compareResults([first], 'testAccuracy'), ['epochs'])[0];
    expect(merged.series[0].std).toBeGreaterThan(0);
  });

  it('never hands NaN or infinity to JSON: values that are not numbers are null', () => {
    const data = store.compareResults([first, second], 'testLoss');
    const text = JSON.stringify(data);
    expect(JSON.parse(text)).toEqual(data);
    // the diverged run of group 1 has NaN at its last epoch (group 0's diverged run stayed finite)
    expect(data.runs.filter((r) => r.status === 'diverged').map((r) => r.final)).toEqual([expect.any(Number), null]);
    expect(data.runs.at(-1)!.final).toBeNull();
  });

  it('refuses an experiment that does not exist', () => {
    expect(() => store.compareResults([first, 999], 'testAccuracy')).toThrow(/No experiment 999/);
  });

  it('compares hand-picked runs across experiments with the same groups and statistics as the same runs in memory', () => {
    const picked = [...store.runIds(first).slice(0, 7), ...store.runIds(second).slice(1, 4)];
    const runs = [first, second].flatMap((id) => store.experimentResults(id)).filter((r) => picked.includes(r.id));
    for (const metric of ['testAccuracy', 'testLoss'] as const) {
      const data = store.compareRuns(picked, metric);
      expect(data.runs.map((r) => r.id)).toEqual([...picked].sort((a, b) => a - b));
      for (const by of [undefined, ['learningRate'] as const, [] as const]) {
        const fromSql = groupCompare(data, by);
        const reference = groupCompare(compareDataFromRuns(runs, metric), by);
        expect(fromSql.map((g) => [g.key, g.label, g.included.map((r) => r.id), g.excluded.map((r) => r.id)])).toEqual(
          reference.map((g) => [g.key, g.label, g.included.map((r) => r.id), g.excluded.map((r) => r.id)]),
        );
        fromSql.forEach((g, i) => {
          expect(summarize(finals(g)).mean).toBeCloseTo(summarize(finals(reference[i])).mean, 12);
          g.series.forEach((p, k) => {
            const ref = reference[i].series[k];
            expect(p.n).toBe(ref.n);
            if (Number.isNaN(ref.std)) expect(p.std).toBeNaN();
            else expect(p.std).toBeCloseTo(ref.std, 12);
          });
        });
      }
    }
  });

  it('refuses hand-picked runs that do not exist, naming them', () => {
    const [one] = store.runIds(first);
    expect(() => store.compareRuns([one, 9998, 9999], 'testAccuracy')).toThrow(/No run 9998, 9999 \(deleted\?\)/);
  });
});
