import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupRuns } from '../../src-shared/aggregate';
import { compareDataFromRuns, finals, groupCompare } from '../../src-shared/compareData';
import type { EpochMetrics } from '../../src-shared/metrics';
import { Store } from '../../src-main/store/store';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const dir = mkdtempSync(join(tmpdir(), 'run-again-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Trains a queued run in the test's own hand: one epoch at this accuracy, then finished. */
function finishQueued(s: Store, accuracy: number): number {
  const lease = Date.now() + 60_000;
  const run = s.runs.claimNext('test', lease, 'wasm-simd', 'sha', new Date().toISOString())!;
  const m: EpochMetrics = { epoch: 1, trainLoss: 1, trainAccuracy: accuracy, objective: 1, testLoss: 1, testAccuracy: accuracy, learningRate: 0.1, seconds: 0.1, confusion: Array(100).fill(1) };
  s.recordEpoch(run.id, m, { epoch: 1, testAccuracy: accuracy }, lease);
  s.finishRun(run.id, 'finished');
  return run.id;
}

describe('Run again: a new attempt inside the run\'s own experiment', () => {
  const s = new Store(join(dir, 'db.sqlite'), 'test');
  afterAll(() => s.close());
  // one group of three seeds, one epoch each: 0.3, 0.4 and a failed third run
  const exp = writeFinishedRuns(s, { name: 'seeds', learningRates: [0.1], repeats: 3, epochs: 1, accuracy: (run) => 0.3 + 0.1 * run, status: (run) => (run === 2 ? 'failed' : 'finished') });
  const [a, b, failed] = s.runIds(exp);
  const group = () => groupCompare(s.compareResults([exp], 'testAccuracy'))[0];
  const summary = () => {
    const g = group();
    return { included: g.included.map((r) => r.id), excluded: g.excluded.map((r) => `${r.id} ${r.status}`), superseded: g.superseded?.map((r) => r.id), finals: finals(g) };
  };

  it('re-queues a finished run as a new attempt in the same experiment, with requeued_from set and the same seed and config', () => {
    expect(summary()).toEqual({ included: [a, b], excluded: [`${failed} failed`], superseded: [], finals: [0.3, 0.4] });
    const again = s.requeue(b);
    const [old, attempt] = [s.getRun(b), s.getRun(again)];
    expect(attempt).toMatchObject({ experimentId: exp, status: 'queued', requeuedFrom: b, seed: old.seed, configHash: old.configHash, config: old.config });
    expect(old.supersededBy).toBe(again);
    expect(s.listExperiments().map((e) => e.id)).toEqual([exp]);
    // while the attempt waits, the run it replaces is history: not averaged, not counted as "not averaged"
    expect(summary()).toEqual({ included: [a], excluded: [`${failed} failed`, `${again} queued`], superseded: [b], finals: [0.3] });
    finishQueued(s, 0.45);
    expect(summary()).toEqual({ included: [a, again], excluded: [`${failed} failed`], superseded: [b], finals: [0.3, 0.45] });
  });

  it('a failed run re-queued and finished leaves the group with every seed averaged and nothing "not averaged"', () => {
    const again = s.requeue(failed);
    finishQueued(s, 0.5);
    const g = group();
    expect(g.included.length).toBe(3);
    expect(g.excluded).toEqual([]);
    expect(g.superseded?.map((r) => r.id)).toEqual([b, failed]);
    expect(g.series[0].n).toBe(3);
    expect(g.series[0].mean).toBeCloseTo((0.3 + 0.45 + 0.5) / 3, 12);
    expect(g.included.map((r) => r.id)).toContain(again);
    expect(g.confusion?.n).toBe(3);
  });

  it('counts the same attempts in memory (reproduction script, exports) as in SQL', () => {
    const runs = s.experimentResults(exp);
    const memory = groupRuns(runs)[0];
    expect(memory.included.map((r) => r.id)).toEqual(group().included.map((r) => r.id));
    expect(memory.superseded?.map((r) => r.id)).toEqual(group().superseded?.map((r) => r.id));
    expect(groupCompare(compareDataFromRuns(runs, 'testAccuracy'))[0].series).toEqual(group().series);
  });

  it('refuses a run already re-queued (its attempt is the one to run again) and a run that has not ended', () => {
    expect(() => s.requeue(b)).toThrow(new RegExp(`Run ${b} was already re-queued as run \\d+ \\(finished\\); re-queue run \\d+ instead`));
    const latest = s.getRun(b).supersededBy!;
    const third = s.requeue(latest);
    expect(() => s.requeue(third)).toThrow(`Run ${third} is queued; only failed, cancelled, interrupted, diverged or finished runs can be re-queued`);
    expect(() => s.requeue(9999)).toThrow('No run 9999');
  });
});
