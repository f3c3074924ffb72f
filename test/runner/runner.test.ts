import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import { kernelReport } from '../../src-main/engine/index';
import { Store } from '../../src-main/store/store';
import { runnerFixture } from '../helpers/runnerFixture';

const sweep = (input: object) => parseSweepSpec(input).spec;

describe('runner', () => {
  it('runs two runs in parallel workers; both finish with every epoch stored', async () => {
    const f = runnerFixture();
    const { id } = f.store.createExperiment(sweep({ name: 'pair', base: { epochs: 3, hidden: [8] }, repeats: 2 }), null);
    const started = new Set<number>();
    let maxParallel = 0;
    f.runner.on((event, p) => {
      if (event === 'run/state' && p.status === 'running') started.add(p.runId);
      maxParallel = Math.max(maxParallel, f.runner.status().running.length);
    });
    await f.runner.start();
    await f.runner.whenIdle();
    const runs = f.store.listRuns({ experimentId: id, limit: 10, offset: 0 });
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished']);
    expect(maxParallel).toBe(2);
    for (const r of runs) {
      const detail = f.store.getRun(r.id);
      expect(detail.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
      expect(detail.confusion?.epoch).toBe(3);
      // the kernel each worker thread actually trained with: the native addon loads in every worker
      expect(detail.kernel).toBe(kernelReport().auto);
      expect(detail.finalTestAccuracy).toBe(detail.epochs[2].testAccuracy);
    }
    expect(runs.map((r) => r.seed)).toEqual([0, 1]);
    await f.cleanup(f.runner);
  });

  it('a terminated worker interrupts only its run; its completed epochs stay; the other run finishes', async () => {
    const f = runnerFixture();
    f.store.createExperiment(sweep({ name: 'kill', base: { epochs: 40, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.1, 0.2] }] }), null);
    await f.runner.start();
    const victim = await new Promise<number>((resolve) => {
      const off = f.runner.on((event, p) => {
        if (event === 'run/epoch' && p.metrics.epoch === 2) {
          off();
          resolve(p.runId);
        }
      });
    });
    const [other] = f.store.listRuns({ limit: 5, offset: 0 }).filter((r) => r.id !== victim);
    await f.runner.forceStop(victim);
    await f.runner.whenIdle();
    const v = f.store.getRun(victim);
    expect(v.status).toBe('interrupted');
    expect(v.error).toMatch(/worker terminated/);
    expect(v.epochs.length).toBeGreaterThanOrEqual(2);
    expect(v.epochs.length).toBe(v.epochsDone);
    expect(f.store.getRun(other.id)).toMatchObject({ status: 'finished', epochsDone: 40 });
    // the pool replaced the worker: a new run still gets trained
    const again = f.runner.requeue(victim);
    await f.runner.whenIdle();
    expect(f.store.getRun(again)).toMatchObject({ status: 'finished', requeuedFrom: victim, epochsDone: 40 });
    await f.cleanup(f.runner);
  });

  it('a huge learning rate ends as diverged at the right epoch, with NaN stored and read back', async () => {
    const f = runnerFixture({ workers: 1 });
    const deep = [100, 100, 100, 100, 100, 100, 100, 100];
    f.store.createExperiment(sweep({ name: 'boom', base: { epochs: 5, hidden: deep, activation: 'relu', init: 'he', learningRate: 2, seed: 2 } }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    const [run] = f.store.listRuns({ limit: 1, offset: 0 });
    const d = f.store.getRun(run.id);
    expect(d).toMatchObject({ status: 'diverged', divergedEpoch: 1, epochsDone: 1 });
    expect(Number.isNaN(d.epochs[0].testLoss)).toBe(true);
    expect(Number.isFinite(d.epochs[0].trainLoss)).toBe(false);
    expect(Number.isNaN(d.finalTestAccuracy!)).toBe(true);
    await f.cleanup(f.runner);
  });

  it('cancels queued and running runs, pauses and resumes, and re-queues', async () => {
    const f = runnerFixture({ workers: 1 });
    const { id } = f.store.createExperiment(sweep({ name: 'queue', base: { epochs: 30, hidden: [8] }, repeats: 3 }), null);
    f.runner.pause();
    await f.runner.start();
    expect(f.runner.status()).toMatchObject({ paused: true, running: [], queued: 3 });
    f.runner.resume();
    const [first, second, third] = f.store.listRuns({ experimentId: id, limit: 10, offset: 0 }).map((r) => r.id);
    expect(f.runner.cancelRun(third)).toBe(true);
    expect(f.store.getRun(third).status).toBe('cancelled');
    await new Promise<void>((resolve) => f.runner.on((e, p) => e === 'run/epoch' && p.runId === first && resolve()));
    expect(f.runner.cancelExperiment(id)).toBe(2);
    await f.runner.whenIdle();
    expect([first, second, third].map((r) => f.store.getRun(r).status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(f.store.getRun(first).epochsDone).toBeGreaterThanOrEqual(1);
    const again = f.runner.requeue(second);
    expect(() => f.runner.requeue(again)).toThrow(/is (queued|running); only failed, cancelled/);
    await f.runner.whenIdle();
    expect(f.store.getRun(again)).toMatchObject({ status: 'finished', requeuedFrom: second, seed: f.store.getRun(second).seed });
    await f.cleanup(f.runner);
  });

  it('queued runs survive a restart and the next runner finishes them; expired leases become interrupted', async () => {
    const f = runnerFixture({ workers: 1, leaseMs: 300 });
    const { id } = f.store.createExperiment(sweep({ name: 'restart', base: { epochs: 2, hidden: [4] }, repeats: 2 }), null);
    // a run left "running" by a process that died: its lease lies in the past
    const claimed = f.store.runs.claimNext('dead-process', Date.now() - 1, 'wasm-simd', 'x', new Date().toISOString())!;
    f.store.close();
    const store = new Store(f.path, 'test');
    const runner = f.makeRunner(store);
    expect(store.getRun(claimed.id).status).toBe('interrupted');
    await runner.start();
    await runner.whenIdle();
    expect(store.listRuns({ experimentId: id, limit: 10, offset: 0 }).map((r) => r.status)).toEqual(['interrupted', 'finished']);
    await runner.close();
    store.close();
    rmSync(f.dir, { recursive: true, force: true });
  });

  it('a run that fails in the worker is failed with the message; the others are unaffected', async () => {
    const empty = { train: { records: new Uint8Array(0), count: 0 }, test: { records: new Uint8Array(0), count: 0 }, classNames: [] };
    const f = runnerFixture({ workers: 1, data: empty });
    f.store.createExperiment(sweep({ name: 'fail', base: { epochs: 1 } }), null);
    await f.runner.start();
    await f.runner.whenIdle();
    expect(f.store.listRuns({ limit: 5, offset: 0 })[0]).toMatchObject({ status: 'failed', error: 'The training split has no images' });
    await f.cleanup(f.runner);
  });
});
