import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src-shared/runs';
import { parseSweepSpec } from '../../src-shared/sweep';
import { runnerFixture } from '../helpers/runnerFixture';

const sweep = (input: object) => parseSweepSpec(input).spec;

/** Every state each run went through, as the runner told it. */
function statesOf(f: ReturnType<typeof runnerFixture>): Map<number, RunStatus[]> {
  const states = new Map<number, RunStatus[]>();
  f.runner.on((event, p) => {
    if (event === 'run/state') states.set(p.runId, [...(states.get(p.runId) ?? []), p.status]);
  });
  return states;
}

/** The seed mean of test accuracy at `epoch` per config hash, from the committed epochs. */
function seedMeans(f: ReturnType<typeof runnerFixture>, experimentId: number, epoch: number): Map<string, number> {
  const rows = f.store.db
    .prepare<[number, number], { h: string; acc: number }>('SELECT r.config_hash AS h, AVG(e.test_accuracy) AS acc FROM runs r JOIN epochs e ON e.run_id = r.id WHERE r.experiment_id = ? AND e.epoch = ? GROUP BY r.config_hash')
    .all(experimentId, epoch);
  return new Map(rows.map((r) => [r.h, r.acc]));
}

describe('ASHA in the runner (real workers, real SQLite)', () => {
  it('prunes the configurations whose seed mean is not in the top 1/η at the rung; the promoted one trains on', async () => {
    // 3 configurations × 2 seeds on 2 workers: each configuration's seeds wait at epoch 1 for the rung to
    // fill (no worker is held: the next configuration trains meanwhile); then 1 in 3 goes on to epoch 3 and 9
    const f = runnerFixture({ workers: 2 });
    const states = statesOf(f);
    const { id } = f.store.createExperiment(
      sweep({ name: 'asha', base: { epochs: 9, hidden: [16] }, axes: [{ field: 'learningRate', values: [0.00001, 0.3, 0.00002] }], repeats: 2, asha: { minEpochs: 1, reductionFactor: 3 } }),
      null,
    );
    await f.runner.start();
    await f.runner.whenIdle();
    const runs = f.store.listRuns({ experimentId: id, limit: 10, offset: 0 });
    const means = seedMeans(f, id, 1);
    const best = [...means].sort((a, b) => b[1] - a[1])[0][0];
    expect(best).toBe(runs[2].configHash); // γ 0.3 learns; the tiny rates do not
    for (const r of runs) {
      const detail = f.store.getRun(r.id);
      if (r.configHash === best) {
        expect(r).toMatchObject({ status: 'finished', epochsDone: 9, prunedEpoch: null });
        // it waited at epoch 1 (until the rung was complete) and at epoch 3 (the only configuration there passes at once)
        expect(states.get(r.id)).toContain('waiting');
        expect(detail.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      } else {
        expect(r).toMatchObject({ status: 'pruned', epochsDone: 1, prunedEpoch: 1 });
        expect(r.error).toMatch(/^Pruned by ASHA at epoch 1: its seeds' mean testAccuracy \d+\.\d\d % ranked [23] of the 3 configurations that reached it; 1 in 3 goes on\.$/);
        expect(detail.epochs.map((e) => e.epoch)).toEqual([1]);
        // it cannot continue: no checkpoint is kept for it
        expect(existsSync(f.files!.checkpointPath(r.id))).toBe(false);
      }
    }
    // never more than 2 runs trained at once, and every run that waited held no worker meanwhile
    const decisions = f.store.db.prepare('SELECT config_hash, rung, decision, rank, of FROM asha_decisions WHERE experiment_id = ? ORDER BY rung, rank').all(id);
    expect(decisions).toEqual([
      { config_hash: best, rung: 1, decision: 'promoted', rank: 1, of: 3 },
      { config_hash: expect.any(String), rung: 1, decision: 'pruned', rank: 2, of: 3 },
      { config_hash: expect.any(String), rung: 1, decision: 'pruned', rank: 3, of: 3 },
      { config_hash: best, rung: 3, decision: 'promoted', rank: 1, of: 1 },
    ]);
    // committed epochs: 3 × 2 × 1 + 2 × 8 = 22 of the grid's 54
    expect(runs.reduce((s, r) => s + r.epochsDone, 0)).toBe(22);
    // a pruned run cannot be resumed or re-queued: its configuration's decision stands
    const pruned = runs.find((r) => r.status === 'pruned')!;
    expect(() => f.runner.continueRuns([pruned.id])).toThrow(/pruned by ASHA at epoch 1/);
    expect(() => f.runner.requeue(pruned.id)).toThrow(/pruned by ASHA at epoch 1/);
    await f.cleanup(f.runner);
  }, 300_000);

  it('a run whose configuration was pruned leaves the queue pruned without training; a waiting run can be cancelled', async () => {
    const f = runnerFixture({ workers: 1 });
    const { id } = f.store.createExperiment(
      sweep({ name: 'asha-1', base: { epochs: 6, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.3, 0.00001, 0.00002] }], repeats: 2, asha: { minEpochs: 2, reductionFactor: 3 } }),
      null,
    );
    const states = statesOf(f);
    await f.runner.start();
    await f.runner.whenIdle();
    const runs = f.store.listRuns({ experimentId: id, limit: 10, offset: 0 });
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished', 'pruned', 'pruned', 'pruned', 'pruned']);
    expect(runs.map((r) => r.epochsDone)).toEqual([6, 6, 2, 2, 2, 2]);
    // one worker: the first seed of each configuration waited at epoch 2 while its other seed trained
    expect(states.get(runs[0].id)).toEqual(['running', 'waiting', 'queued', 'running', 'finished']);
    expect(states.get(runs[2].id)).toEqual(['running', 'waiting', 'pruned']);
    // waiting and going on from the checkpoint changes nothing: the same epochs as a run never stopped
    const plain = f.store.createExperiment(sweep({ name: 'plain', base: { epochs: 6, hidden: [8], learningRate: 0.3 } }), null).id;
    f.runner.pump();
    await f.runner.whenIdle();
    const [straight] = f.store.listRuns({ experimentId: plain, limit: 1, offset: 0 });
    expect(f.store.getRun(runs[0].id).epochs.map((e) => [e.testAccuracy, e.trainLoss])).toEqual(f.store.getRun(straight.id).epochs.map((e) => [e.testAccuracy, e.trainLoss]));
    // (from epoch 2, or from 3 when its thread had checkpointed epoch 3 before it saw the stop: its metrics are then committed first)
    expect([2, 3]).toContain(f.store.getRun(runs[0].id).resumedEpoch);
    // a seed of a pruned configuration queued again (a failed seed's new attempt, say) is pruned when taken
    f.store.db.prepare("UPDATE runs SET status = 'failed' WHERE id = ?").run(runs[3].id);
    const again = f.runner.requeue(runs[3].id);
    await f.runner.whenIdle();
    expect(f.store.getRun(again)).toMatchObject({ status: 'pruned', epochsDone: 0, prunedEpoch: 2 });
    // cancelling an experiment cancels its waiting runs too
    f.store.db.prepare("UPDATE runs SET status = 'waiting' WHERE id = ?").run(runs[0].id);
    expect(f.runner.cancelExperiment(id)).toBe(1);
    expect(f.store.getRun(runs[0].id).status).toBe('cancelled');
    await f.cleanup(f.runner);
  }, 300_000);
});
