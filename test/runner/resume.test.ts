import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import type { Runner } from '../../src-main/runner/runner';
import { readModelFile } from '../../src-main/store/files/modelFile';
import { runnerFixture } from '../helpers/runnerFixture';

const sweep = (input: object) => parseSweepSpec(input).spec;
/** Every metric of every epoch except its duration, which is a measurement, not a result. */
const metricsOf = (f: ReturnType<typeof runnerFixture>, runId: number) => f.store.getRun(runId).epochs.map(({ seconds: _, ...m }) => m);
const VARIANTS = [
  { optimizer: 'sgd', momentum: 0.9, l2: 0.001, schedule: 'exponential', decay: 0.1, learningRate: 0.05 },
  { optimizer: 'adam', learningRate: 0.002, normalization: 'standardize' },
];

/** Resolves at the first committed epoch `epoch` of any run. */
function epochCommitted(runner: Runner, epoch: number): Promise<number> {
  return new Promise((resolve) => {
    const off = runner.on((event, p) => {
      if (event === 'run/epoch' && p.metrics.epoch === epoch) {
        off();
        resolve(p.runId);
      }
    });
  });
}

describe('checkpoints and resume', () => {
  it('a run stopped mid-run and resumed gives every epoch bit-identical to an uninterrupted run (SGD+momentum+L2+decay, Adam)', async () => {
    const f = runnerFixture({ workers: 1 });
    const base = { epochs: 7, hidden: [24, 12], batchSize: 32 };
    for (const v of VARIANTS) f.store.createExperiment(sweep({ name: `clean ${v.optimizer}`, base: { ...base, ...v } }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const reference = f.store.listRuns({ limit: 10, offset: 0 });
    expect(reference.map((r) => r.status)).toEqual(['finished', 'finished']);

    for (const [i, v] of VARIANTS.entries()) {
      const { id } = f.store.createExperiment(sweep({ name: `stopped ${v.optimizer}`, base: { ...base, ...v } }), null);
      const [run] = f.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
      const third = epochCommitted(f.runner, 3);
      f.runner.pump();
      expect(await third).toBe(run.id);
      await f.runner.forceStop(run.id);
      await f.runner.whenIdle();
      const stopped = f.store.getRun(run.id);
      expect(stopped.status).toBe('interrupted');
      expect(stopped.epochsDone).toBeGreaterThanOrEqual(3);
      expect(stopped.epochsDone).toBeLessThan(7);
      expect(existsSync(f.files!.checkpointPath(run.id))).toBe(true);

      expect(f.runner.continueRuns([run.id])).toEqual([run.id]);
      await f.runner.whenIdle();
      const resumed = f.store.getRun(run.id);
      expect(resumed.status).toBe('finished');
      expect(resumed.resumedEpoch).toBe(stopped.epochsDone);
      expect(metricsOf(f, run.id)).toEqual(metricsOf(f, reference[i].id));
      // the checkpoint gave way to the model, which holds the final weights of both
      expect(existsSync(f.files!.checkpointPath(run.id))).toBe(false);
      const a = readModelFile(f.files!.modelPath(run.id));
      const b = readModelFile(f.files!.modelPath(reference[i].id));
      expect(a.epoch).toBe(7);
      expect(a.layers.map((l, j) => Buffer.from(l.w.buffer).equals(Buffer.from(b.layers[j].w.buffer)))).toEqual([true, true, true]);
    }
    await f.cleanup(f.runner);
  }, 120_000);

  it('a damaged checkpoint is refused with the reason and the run continues from the previous one; with both damaged it restarts from epoch 1, same metrics', async () => {
    const f = runnerFixture({ workers: 1 });
    const base = { epochs: 6, hidden: [16], optimizer: 'adam', learningRate: 0.003 };
    f.store.createExperiment(sweep({ name: 'reference', base }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const [reference] = f.store.listRuns({ limit: 1, offset: 0 });

    for (const damage of ['truncate current', 'flip a bit in both'] as const) {
      const { id } = f.store.createExperiment(sweep({ name: damage, base }), null);
      const [run] = f.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
      const fourth = epochCommitted(f.runner, 4);
      f.runner.pump();
      await fourth;
      await f.runner.forceStop(run.id);
      await f.runner.whenIdle();
      const done = f.store.getRun(run.id).epochsDone;
      const current = f.files!.checkpointPath(run.id);
      const previous = f.files!.previousCheckpointPath(run.id);
      if (damage === 'truncate current') truncateSync(current, 1000);
      else {
        for (const p of [current, previous]) {
          const bytes = readFileSync(p);
          bytes[bytes.length - 5] ^= 0x10;
          writeFileSync(p, bytes);
        }
      }
      f.runner.continueRuns([run.id]);
      await f.runner.whenIdle();
      const r = f.store.getRun(run.id);
      expect(r.status).toBe('finished');
      if (damage === 'truncate current') {
        expect(r.resumedEpoch).toBe(done - 1);
        expect(r.resumeNote).toMatch(/checkpoint .*\.ckpt is not a valid safetensors file: .*truncated/);
      } else {
        expect(r.resumedEpoch).toBe(0);
        expect(r.resumeNote).toMatch(/fails its sha256 check.*fails its sha256 check/);
      }
      expect(metricsOf(f, run.id)).toEqual(metricsOf(f, reference.id));
    }
    await f.cleanup(f.runner);
  }, 120_000);

  it('a checkpoint that cannot be written fails the run with the reason and what to do; once fixed, resuming it gives the same metrics', async () => {
    const f = runnerFixture({ workers: 1 });
    const base = { epochs: 4, hidden: [16] };
    f.store.createExperiment(sweep({ name: 'reference', base }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    // a file where the checkpoints folder should be: every checkpoint write fails
    rmSync(f.files!.checkpoints, { recursive: true, force: true });
    writeFileSync(f.files!.checkpoints, 'not a folder');
    const { id } = f.store.createExperiment(sweep({ name: 'blocked', base }), null);
    f.runner.pump();
    await f.runner.whenIdle();
    const [run] = f.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(new RegExp(`Could not save the checkpoint of epoch 1 of run ${run.id} in .*Free space or fix the folder, then resume the run: it continues after epoch 0`));
    expect(run.epochsDone).toBeLessThanOrEqual(1);
    rmSync(f.files!.checkpoints);
    f.runner.continueRuns([run.id]);
    await f.runner.whenIdle();
    expect(f.store.getRun(run.id).status).toBe('finished');
    expect(metricsOf(f, run.id)).toEqual(metricsOf(f, 1));
    await f.cleanup(f.runner);
  }, 120_000);
});
