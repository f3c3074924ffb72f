import type { RunEpochEvent, RunProgressEvent, RunStateEvent, StoreFailureEvent } from '../../src-shared/runs';
import type { Dataset } from '../engine/dataset';
import type { RunFiles } from '../store/files/runFiles';
import type { RunRow } from '../store/runsRepo';
import type { Store } from '../store/store';
import type { RunFileOptions } from './messages';
import type { PoolEvents, RunPool } from './workerPool';

/** What a Runner tells its listeners (the API turns these into the contract's events). */
export interface RunnerEvents {
  'run/progress': RunProgressEvent;
  'run/epoch': RunEpochEvent;
  'run/state': RunStateEvent;
  'store/failure': StoreFailureEvent;
}
/** (event, payload) pairs as a discriminated tuple, so checking the name narrows the payload. */
export type RunnerEvent = { [E in keyof RunnerEvents]: [event: E, payload: RunnerEvents[E]] }[keyof RunnerEvents];

export interface RunnerOptions {
  store: Store;
  /** The dataset (SharedArrayBuffer-backed) and a fingerprint recorded with every run. */
  loadDataset: () => Promise<{ data: Dataset; sha256: string }>;
  workers: number;
  /** How long a running run's lease lasts without renewal; renewed every third of it. */
  leaseMs?: number;
  /** Where runs keep checkpoints and models; without it runs train without them (some tests, benches). */
  files?: RunFiles;
  /** Recorded in every model's metadata. */
  appVersion?: string;
  /** Another pool than this process's worker threads (the Redis queue); gets the runner's events. */
  pool?: (data: Dataset, events: PoolEvents, datasetSha256: string) => RunPool;
}

/** Settings (in the settings table) that decide what runs keep on disk and do at start-up. */
export const KEEP_BEST_MODEL = 'models.keepBest';
export const AUTO_RESUME = 'runs.autoResume';

/**
 * What a run's thread needs to keep its files: where, whether it continues from a checkpoint, how
 * many epochs the history already holds. Null when the runner keeps no files.
 */
export function runFileOptions(options: RunnerOptions, store: Store, row: RunRow, datasetSha256: string): RunFileOptions | null {
  const { files } = options;
  if (!files) return null;
  return {
    home: files.home, resume: row.resumes > 0, committedEpochs: row.epochs_done, keepBest: store.settings.get(KEEP_BEST_MODEL) === 'true',
    appVersion: options.appVersion ?? '', datasetSha256,
  };
}
