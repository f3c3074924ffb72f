import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runner } from '../../src-main/runner/runner';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { Store } from '../../src-main/store/store';
import type { Dataset } from '../../src-main/engine/dataset';
import { syntheticDataset } from './synthetic';

/**
 * A temporary folder with a real SQLite file, a store, and a runner over a small synthetic dataset;
 * runs keep checkpoints and models in the folder as in the app (`files: false` turns that off).
 */
export function runnerFixture(options: { workers?: number; leaseMs?: number; data?: Dataset; files?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  const path = join(dir, 'workbench.sqlite');
  const data = options.data ?? syntheticDataset(600, 200, 3, 128);
  const store = new Store(path, 'test');
  const files = options.files === false ? undefined : new RunFiles(dir);
  const makeRunner = (s: Store) => new Runner({ store: s, files, appVersion: 'test', loadDataset: async () => ({ data, sha256: 'synthetic' }), workers: options.workers ?? 2, leaseMs: options.leaseMs });
  return {
    dir,
    path,
    store,
    files,
    runner: makeRunner(store),
    makeRunner,
    cleanup: async (runner?: Runner) => {
      await runner?.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
