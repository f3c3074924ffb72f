import { existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import { KEEP_BEST_MODEL, type Runner } from '../../src-main/runner/runner';
import { encodeCheckpoint, readCheckpointFile } from '../../src-main/store/files/checkpointFile';
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

type Fixture = ReturnType<typeof runnerFixture>;

/**
 * Creates a one-run experiment and cancels it once epoch `epoch` is committed; returns the run id.
 * Cancelled, not killed: its files are then complete (a kill can land between the two renames of a
 * write, leaving only the previous generation, which these tests do not want to depend on).
 */
async function stoppedRun(f: Fixture, name: string, base: object, epoch: number): Promise<number> {
  const { id } = f.store.createExperiment(sweep({ name, base }), null);
  const [run] = f.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
  const committed = epochCommitted(f.runner, epoch);
  f.runner.pump();
  await committed;
  f.runner.cancelRun(run.id);
  await f.runner.whenIdle();
  expect(f.store.getRun(run.id).status).toBe('cancelled');
  return run.id;
}

/** The run's current checkpoint as the app reads it. */
const checkpointOf = (f: Fixture, runId: number) => readCheckpointFile(f.files!.checkpointPath(runId), runId, f.store.getRun(runId).config);

/** Flips one bit of the character `offset` into the first `text` in a checkpoint's JSON header (a digit stays a digit, a letter changes case). */
function flipInHeader(path: string, text: string, offset: number): void {
  const bytes = readFileSync(path);
  const header = bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('latin1');
  const i = 8 + header.indexOf(text) + offset;
  expect(header.indexOf(text)).toBeGreaterThanOrEqual(0);
  bytes[i] ^= /[0-9]/.test(String.fromCharCode(bytes[i])) ? 0x01 : 0x20;
  writeFileSync(path, bytes);
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
      // killed between the two renames of a write, only the previous generation may be there
      expect(existsSync(f.files!.checkpointPath(run.id)) || existsSync(f.files!.previousCheckpointPath(run.id))).toBe(true);

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
    const base = { epochs: 12, hidden: [16], optimizer: 'adam', learningRate: 0.003 };
    f.store.createExperiment(sweep({ name: 'reference', base }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const [reference] = f.store.listRuns({ limit: 1, offset: 0 });

    for (const damage of ['truncate current', 'flip a bit in both', 'flip a bit in the step count of current', 'rename confusion in current'] as const) {
      const { id } = f.store.createExperiment(sweep({ name: damage, base }), null);
      const [run] = f.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
      const fourth = epochCommitted(f.runner, 4);
      f.runner.pump();
      await fourth;
      // cancelled (its writes complete), so that the damage below hits the files it means to
      f.runner.cancelRun(run.id);
      await f.runner.whenIdle();
      const done = f.store.getRun(run.id).epochsDone;
      const current = f.files!.checkpointPath(run.id);
      const previous = f.files!.previousCheckpointPath(run.id);
      const currentEpoch = checkpointOf(f, run.id).state.epoch;
      if (damage === 'truncate current') truncateSync(current, 1000);
      else if (damage === 'flip a bit in the step count of current') flipInHeader(current, '"optimizer_steps":"', 19);
      else if (damage === 'rename confusion in current') flipInHeader(current, '\\"confusion', 2); // → \"Confusion\"
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
      expect(r.status, damage).toBe('finished');
      if (damage === 'flip a bit in the step count of current' || damage === 'rename confusion in current') {
        expect(r.resumedEpoch, damage).toBe(currentEpoch - 1);
        expect(r.resumeNote, damage).toMatch(/^The checkpoint .*\.ckpt fails its sha256 check: its content was changed or damaged$/);
      } else if (damage === 'truncate current') {
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

  it('a checkpoint write that fails on the thread pool reports no epoch past it: the history stays at the last durable checkpoint', async () => {
    const f = runnerFixture({ workers: 1 });
    const base = { epochs: 12, hidden: [16], optimizer: 'adam', learningRate: 0.003 };
    f.store.createExperiment(sweep({ name: 'reference', base }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const runId = await stoppedRun(f, 'blocked', base, 2);
    const saved = checkpointOf(f, runId).state.epoch;
    // a folder with a file in it where the previous generation goes: the next write's rename fails, after the bytes were written and fsynced
    const previous = f.files!.previousCheckpointPath(runId);
    rmSync(previous, { force: true });
    mkdirSync(previous);
    writeFileSync(join(previous, 'x'), 'x');
    f.runner.continueRuns([runId]);
    await f.runner.whenIdle();
    const r = f.store.getRun(runId);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(new RegExp(`Could not save the checkpoint of epoch ${saved + 1} of run ${runId} in .*then resume the run: it continues after epoch ${saved}`));
    expect(checkpointOf(f, runId).state.epoch).toBe(saved);
    expect(r.epochsDone).toBe(saved);
    expect(r.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: saved }, (_, i) => i + 1));
    rmSync(previous, { recursive: true });
    f.runner.continueRuns([runId]);
    await f.runner.whenIdle();
    expect(f.store.getRun(runId).status).toBe('finished');
    expect(metricsOf(f, runId)).toEqual(metricsOf(f, 1));
    await f.cleanup(f.runner);
  }, 120_000);

  it('after a crash between the checkpoint of a best epoch and its model, resuming writes that model; the best model ends as an uninterrupted run\'s', async () => {
    const f = runnerFixture({ workers: 1 });
    f.store.settings.set(KEEP_BEST_MODEL, 'true');
    const base = { epochs: 12, hidden: [16], optimizer: 'adam', learningRate: 0.003 };
    f.store.createExperiment(sweep({ name: 'reference', base }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const runId = await stoppedRun(f, 'crashed', base, 1);
    const { state } = checkpointOf(f, runId);
    // epoch 1 is always the best so far; on this data accuracy rises over the first epochs
    expect(state.best?.epoch).toBe(state.epoch);
    const best = f.files!.modelPath(runId, 'best');
    rmSync(best);
    const progress = new Promise<boolean>((resolve) => {
      const off = f.runner.on((event, p) => {
        if (event === 'run/progress' && p.runId === runId) {
          off();
          resolve(existsSync(best));
        }
      });
    });
    f.runner.continueRuns([runId]);
    // written before training goes on, not only when a later epoch does better
    expect(await progress).toBe(true);
    await f.runner.whenIdle();
    const r = f.store.getRun(runId);
    expect(r.status).toBe('finished');
    const mine = readModelFile(best);
    const reference = readModelFile(f.files!.modelPath(1, 'best'));
    expect(mine.epoch).toBe(r.bestEpoch);
    expect(mine.epoch).toBe(reference.epoch);
    expect(mine.layers.map((l, j) => Buffer.from(l.w.buffer).equals(Buffer.from(reference.layers[j].w.buffer)))).toEqual([true, true]);
    await f.cleanup(f.runner);
  }, 120_000);

  it('a checkpoint that does not fit the network is refused like a damaged one: the previous one is used, same metrics', async () => {
    const f = runnerFixture({ workers: 1 });
    const base = { epochs: 12, hidden: [16], optimizer: 'sgd', momentum: 0.9 };
    f.store.createExperiment(sweep({ name: 'reference', base }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const runId = await stoppedRun(f, 'misfit', base, 3);
    const c = checkpointOf(f, runId);
    // consistent and with a valid sha256, but its first layer has 15 units instead of 16
    c.state.tensors.W1 = { shape: [3072, 15], data: new Float32Array(3072 * 15) };
    writeFileSync(f.files!.checkpointPath(runId), encodeCheckpoint(c, f.store.getRun(runId).config));
    f.runner.continueRuns([runId]);
    await f.runner.whenIdle();
    const r = f.store.getRun(runId);
    expect(r.status).toBe('finished');
    expect(r.resumedEpoch).toBe(c.state.epoch - 1);
    expect(r.resumeNote).toMatch(/^The checkpoint .*\.ckpt does not fit run \d+'s network: tensor W1 is \[3072,15\], the network needs \[3072, 16\]$/);
    expect(metricsOf(f, runId)).toEqual(metricsOf(f, 1));
    await f.cleanup(f.runner);
  }, 120_000);

  it('a run continued on another kernel or dataset says so in its resume note, and keeps its first start time', async () => {
    const f = runnerFixture({ workers: 1 });
    const base = { epochs: 30, hidden: [8] };
    await f.runner.start();
    const runId = await stoppedRun(f, 'moved', base, 2);
    const before = f.store.getRun(runId);
    const kernel = before.kernel!;
    const was = kernel === 'wasm-simd' ? 'native-avx512' : 'wasm-simd';
    // as if written on another machine: another kernel, and data of another sha256
    const c = checkpointOf(f, runId);
    writeFileSync(f.files!.checkpointPath(runId), encodeCheckpoint({ ...c, kernel: was, datasetSha256: 'f'.repeat(64) }, before.config));
    f.runner.continueRuns([runId]);
    await f.runner.whenIdle();
    const r = f.store.getRun(runId);
    expect(r.status).toBe('finished');
    expect(r.resumedEpoch).toBe(c.state.epoch);
    expect(r.resumeNote).toBe(
      `Continued on ${kernel} (was ${was}): metrics after epoch ${c.state.epoch} are not bit-identical to an uninterrupted run. ` +
        `Continued on another dataset (sha256 synthetic…, was ffffffffffff…): metrics after epoch ${c.state.epoch} are not comparable with an uninterrupted run.`,
    );
    expect(r.startedAt).toBe(before.startedAt);
    await f.cleanup(f.runner);
  }, 120_000);
});
