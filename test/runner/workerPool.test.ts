import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import { WorkerPool, type WorkerLoss } from '../../src-main/runner/workerPool';
import type { FromWorker } from '../../src-main/runner/messages';
import { syntheticDataset } from '../helpers/synthetic';

describe('worker pool', () => {
  it('tells when every worker has loaded its engine, again after a worker was replaced', async () => {
    const messages: FromWorker['type'][] = [];
    const losses: WorkerLoss[] = [];
    let readyWhenLost = -1;
    const pool: WorkerPool = new WorkerPool(syntheticDataset(300, 100, 3, 64), 2, {
      message: (m) => messages.push(m.type),
      lost: (_runId, loss) => {
        losses.push(loss);
        readyWhenLost = pool.readyCount;
      },
    });
    expect(pool.readyCount).toBe(0);
    await pool.whenReady();
    expect(pool.readyCount).toBe(2);
    expect(messages).toEqual([]); // 'ready' is the pool's own business, not a run event

    expect(pool.dispatch({ type: 'run', runId: 7, config: parseTrainConfig({ epochs: 500, hidden: [8] }), files: null })).toBe(true);
    await new Promise<void>((resolve) => {
      const wait = () => (messages.includes('epoch') ? resolve() : setTimeout(wait, 5));
      wait();
    });
    await pool.terminate(7);
    await new Promise<void>((resolve) => {
      const wait = () => (losses.length > 0 ? resolve() : setTimeout(wait, 5));
      wait();
    });
    expect(losses).toEqual([{ kind: 'terminated' }]);
    expect(readyWhenLost).toBe(1); // the replacement had only just been started
    await pool.whenReady();
    expect(pool.readyCount).toBe(2);
    expect(pool.idle).toBe(2);
    await pool.close();
  });

  it('a closed pool does not keep callers waiting for readiness', async () => {
    const pool = new WorkerPool(syntheticDataset(300, 100, 3, 64), 1, { message: () => {}, lost: () => {} });
    const waiting = pool.whenReady();
    await pool.close();
    await expect(waiting).resolves.toBeUndefined();
  });
});
