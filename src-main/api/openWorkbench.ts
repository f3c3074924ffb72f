import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { APP_VERSION } from '../appVersion';
import { DatasetManager } from '../data/datasetManager';
import { Runner } from '../runner/runner';
import { DB_FILE } from '../store/database';
import { Store } from '../store/store';
import { WorkbenchApi } from './workbenchApi';

export interface Workbench {
  api: WorkbenchApi;
  store: Store;
  runner: Runner;
  dataset: DatasetManager;
  close(): Promise<void>;
}

/**
 * Everything behind the API for one home folder: the dataset cache, the database and the runner.
 * The CLI, the Electron main process and browser mode each open one of these.
 */
export function openWorkbench(home: string, options: { workers?: number; leaseMs?: number; nativeBinding?: string } = {}): Workbench {
  const dataset = new DatasetManager(home);
  const store = new Store(join(home, DB_FILE), APP_VERSION, options.nativeBinding);
  const runner = new Runner({
    store,
    workers: options.workers ?? availableParallelism(),
    leaseMs: options.leaseMs,
    loadDataset: async () => {
      const data = await dataset.load();
      const status = await dataset.status();
      const sha256 = status.source?.archiveSha256 ?? createHash('sha256').update(status.files.map((f) => f.sha256).join()).digest('hex');
      return { data, sha256 };
    },
  });
  const api = new WorkbenchApi({ dataset, store, runner });
  return {
    api,
    store,
    runner,
    dataset,
    async close() {
      await runner.close();
      store.close();
    },
  };
}
