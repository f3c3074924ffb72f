import type { TrainConfig } from '../../src-shared/config';
import type { EpochMetrics } from '../../src-shared/metrics';
import { createBackend, train } from '../../src-main/engine/index';
import type { Dataset } from '../../src-main/engine/dataset';
import { Runner } from '../../src-main/runner/runner';
import type { RunFiles } from '../../src-main/store/files/runFiles';
import type { Store } from '../../src-main/store/store';

type Metrics = Omit<EpochMetrics, 'seconds' | 'confusion'>;

/**
 * Checks, right after a kill, that every interrupted run's newest valid checkpoint agrees with its
 * history: at the last committed epoch or one past it (saved, not yet committed), never refused.
 */
export function checkpointProblems(store: Store, files: RunFiles, label: string): string[] {
  const problems: string[] = [];
  for (const row of store.runs.list({ status: 'interrupted', limit: 1_000_000, offset: 0 })) {
    const config = JSON.parse(row.config_json) as TrainConfig;
    const { checkpoint, refused } = files.loadCheckpoint(row.id, config, row.epochs_done);
    if (refused.length) problems.push(`${label}: run ${row.id}'s checkpoint was refused: ${refused.join(' ')}`);
    const epoch = checkpoint?.state.epoch ?? 0;
    if (epoch !== row.epochs_done && epoch !== row.epochs_done + 1) problems.push(`${label}: run ${row.id} has ${row.epochs_done} epochs committed but its checkpoint is at epoch ${epoch}`);
  }
  return problems;
}

/**
 * Resumes every interrupted run in the database to the end, then compares every epoch of each with
 * a clean, uninterrupted training of the same config and seed on the same kernel: all metrics but
 * the duration must be identical. Returns the runs resumed and the problems found.
 */
export async function resumeAndCompare(store: Store, files: RunFiles, data: Dataset): Promise<{ resumed: number; problems: string[] }> {
  const runner = new Runner({ store, files, appVersion: 'chaos', workers: 2, loadDataset: async () => ({ data, sha256: 'synthetic' }) });
  const ids = store.runs.list({ status: 'interrupted', limit: 1_000_000, offset: 0 }).map((r) => r.id);
  await runner.start();
  runner.continueRuns(ids, true);
  await runner.whenIdle();
  await runner.close();
  const problems: string[] = [];
  const clean = new Map<string, Metrics[]>();
  for (const id of ids) {
    const row = store.runs.get(id)!;
    if (row.status !== 'finished') {
      problems.push(`run ${id} ended ${row.status} after resuming: ${row.error}`);
      continue;
    }
    if (!clean.has(row.config_json)) {
      const config = JSON.parse(row.config_json) as TrainConfig;
      const result = await train(config, data, { backend: createBackend(config.kernel) });
      clean.set(row.config_json, result.epochs.map(({ seconds: _s, confusion: _c, ...m }) => m));
    }
    const got = store.epochs.list(id).map(({ seconds: _s, ...m }) => m);
    const want = clean.get(row.config_json)!;
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      const at = want.findIndex((m, i) => JSON.stringify(m) !== JSON.stringify(got[i]));
      problems.push(`run ${id} (resumed at epoch ${row.resumed_epoch}) differs from a clean run from epoch ${at + 1}`);
    }
  }
  return { resumed: ids.length, problems };
}
