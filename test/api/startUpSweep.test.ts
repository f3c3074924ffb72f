import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { KEEP_BEST_MODEL, type Runner } from '../../src-main/runner/runner';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { Store } from '../../src-main/store/store';
import { runnerFixture } from '../helpers/runnerFixture';

const sweep = (input: object) => parseSweepSpec(input).spec;

/** Resolves when run `runId` has committed epoch `epoch`. */
function epochCommitted(runner: Runner, runId: number, epoch: number): Promise<void> {
  return new Promise((resolve) => {
    const off = runner.on((event, p) => {
      if (event === 'run/epoch' && p.runId === runId && p.metrics.epoch === epoch) {
        off();
        resolve();
      }
    });
  });
}

function write(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'x');
  return path;
}

describe('the start-up sweep of run files', () => {
  it("keeps the models of runs that can continue or finished, never touches a run another process trains or has queued, and removes only what no run needs", async () => {
    // process A trains; process B (another Store and RunFiles on the same home) starts up meanwhile
    const a = runnerFixture({ workers: 1 });
    a.store.settings.set(KEEP_BEST_MODEL, 'true');
    const files = a.files!;
    const run = async (name: string, epochs: number, until: (runId: number) => Promise<void>) => {
      const { id } = a.store.createExperiment(sweep({ name, base: { epochs, hidden: [8] } }), null);
      const [r] = a.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
      const done = until(r.id);
      a.runner.pump();
      await done;
      return r.id;
    };
    await a.runner.start();
    const finished = await run('finished', 3, () => a.runner.whenIdle());
    const interrupted = await run('interrupted', 6, async (id) => {
      await epochCommitted(a.runner, id, 2);
      await a.runner.forceStop(id);
      await a.runner.whenIdle();
    });
    const cancelled = await run('cancelled', 400, async (id) => {
      await epochCommitted(a.runner, id, 1);
      a.runner.cancelRun(id);
      await a.runner.whenIdle();
    });
    const running = await run('running', 10_000, (id) => epochCommitted(a.runner, id, 2));
    // resumed while the only worker is busy: queued, with its checkpoint and best model waiting for it
    expect(a.runner.continueRuns([interrupted])).toEqual([interrupted]);
    const status = (id: number) => a.store.getRun(id).status;
    expect([finished, interrupted, cancelled, running].map(status)).toEqual(['finished', 'queued', 'cancelled', 'running']);

    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const staleCheckpoint = write(files.checkpointPath(finished));
    const gone = [files.checkpointPath(999), files.previousCheckpointPath(999), files.modelPath(999), files.modelPath(999, 'best')].map(write);
    const deadTemp = write(`${files.checkpointPath(cancelled)}.tmp-${dead}`);
    const liveTemp = write(`${files.modelPath(cancelled)}.tmp-${process.pid}`);
    const runningTemp = write(`${files.checkpointPath(running)}.tmp-${dead}`);
    // a killed run may be left with only one generation of checkpoint (killed between the renames of
    // a write), and the running run's checkpoint is being renamed as it trains: one of the two is there
    const checkpoints = (id: number) => [files.checkpointPath(id), files.previousCheckpointPath(id)];
    const kept = [
      files.modelPath(finished), files.modelPath(finished, 'best'),
      ...checkpoints(interrupted).filter(existsSync), files.modelPath(interrupted, 'best'),
      files.checkpointPath(cancelled), files.modelPath(cancelled, 'best'), liveTemp,
      files.modelPath(running, 'best'), runningTemp,
    ];
    expect(kept.filter((p) => !existsSync(p))).toEqual([]);
    expect(checkpoints(interrupted).some(existsSync)).toBe(true);

    const store = new Store(a.path, 'test');
    try {
      await new WorkbenchApi({ dataset: new DatasetManager(a.dir), store, files: new RunFiles(a.dir) }).startUp();
    } finally {
      store.close();
    }
    expect(kept.filter((p) => !existsSync(p))).toEqual([]);
    expect(checkpoints(running).some(existsSync)).toBe(true);
    expect([staleCheckpoint, deadTemp, ...gone].filter(existsSync)).toEqual([]);

    // A goes on undisturbed: the running run ends with its files, the queued one finishes from its checkpoint
    a.runner.cancelRun(running);
    await a.runner.whenIdle();
    expect([interrupted, running].map(status)).toEqual(['finished', 'cancelled']);
    expect(existsSync(files.modelPath(interrupted))).toBe(true);
    expect(a.store.getRun(interrupted).resumedEpoch).toBeGreaterThanOrEqual(2);
    await a.cleanup(a.runner);
  }, 180_000);
});
