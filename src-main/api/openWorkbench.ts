import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { APP_VERSION } from '../appVersion';
import { cacheSha256 } from '../data/datasetIdentity';
import { DatasetManager } from '../data/datasetManager';
import { RemotePool } from '../runner/redis/remotePool';
import type { RedisTarget } from '../runner/redis/redisConnection';
import { Runner } from '../runner/runner';
import { RunFiles } from '../store/files/runFiles';
import { DB_FILE } from '../store/database';
import { cannotOpenDatabase } from '../store/databaseErrors';
import { Store } from '../store/store';
import { GuardedApi } from './guardedApi';
import { queueInUse, storedQueueTarget } from './queueBackendSetting';
import type { WorkbenchApi } from './workbenchApi';

export interface Workbench {
  api: WorkbenchApi;
  /** Where the database could not be opened, any use of store or runner throws the reason. */
  store: Store;
  runner: Runner;
  dataset: DatasetManager;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  workers?: number;
  leaseMs?: number;
  nativeBinding?: string;
  /** Open the history read-only (default: WORKBENCH_READONLY=1; it is also opened so where it cannot be written). */
  readOnly?: boolean;
  /** Train on worker processes behind this Redis queue instead of this process's threads (default: the saved queue setting). */
  redis?: RedisTarget;
  /** The password of the saved Redis queue, which the database never holds (default: WORKBENCH_REDIS_PASSWORD). */
  redisPassword?: string;
  /** Train on this process's threads even when the saved queue setting says Redis (`--local`). */
  local?: boolean;
}

/** Stands in for the store and runner of a workbench without a database: every use throws why. */
function unavailable<T extends object>(reason: AppError): T {
  return new Proxy({} as T, {
    get() {
      throw reason;
    },
  });
}

/**
 * Everything behind the API for one home folder: the dataset cache, the database and the runner.
 * The CLI, the Electron main process and browser mode each open one of these. It opens even when
 * the database cannot be (damaged, newer, no database in a read-only home): the dataset still
 * works and every request about experiments answers with the reason, so no file can stop the app.
 */
export function openWorkbench(home: string, options: WorkbenchOptions = {}): Workbench {
  const dataset = new DatasetManager(home);
  const path = join(home, DB_FILE);
  let store: Store;
  try {
    store = new Store(path, APP_VERSION, { nativeBinding: options.nativeBinding, readOnly: options.readOnly ?? process.env.WORKBENCH_READONLY === '1' });
  } catch (e) {
    const reason = cannotOpenDatabase(e, path);
    const api = new GuardedApi({ dataset }, { path, unavailable: reason, readOnly: null });
    return { api, store: unavailable(reason), runner: unavailable(reason), dataset, close: async () => undefined };
  }
  // a read-only history cannot mark the runs of stopped processes interrupted: they show as saved
  if (store.readOnly) store.runs.expireLeases = () => 0;
  const files = new RunFiles(home);
  // the queue named by the caller, else the one saved in the settings (read at start: a change takes effect at the next)
  const stored = options.redis
    ? { target: options.redis, problem: null }
    : options.local
      ? { target: undefined, problem: null }
      : storedQueueTarget(store, options.redisPassword ?? process.env.WORKBENCH_REDIS_PASSWORD);
  const redis = stored.target;
  const runner = new Runner({
    store,
    files,
    appVersion: APP_VERSION,
    // BullMQ: 1 runs first; the sweep's priority (-100–100, higher first) maps onto 1–201
    pool: redis ? (_data, events, datasetSha256) => new RemotePool({ target: redis, files, datasetSha256, priority: (runId) => 101 - store.runs.priority(runId) }, events) : undefined,
    workers: options.workers ?? availableParallelism(),
    leaseMs: options.leaseMs,
    loadDataset: async () => {
      const data = await dataset.load();
      const status = await dataset.status();
      return { data, sha256: cacheSha256(status) };
    },
  });
  const api = new GuardedApi({ dataset, store, runner, files, queueInUse: queueInUse(redis, stored.problem, options.redis !== undefined || options.local === true) }, { path, unavailable: null, readOnly: store.readOnly });
  return {
    api,
    store,
    runner,
    dataset,
    async close() {
      await api.close();
      await runner.close();
      store.close();
    },
  };
}
