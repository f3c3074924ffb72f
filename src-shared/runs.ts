import type { TrainConfig } from './config';
import type { EpochMetrics, KernelKind } from './metrics';

/**
 * `waiting`: a run of an ASHA sweep stopped at a rung until its configuration is promoted (it goes
 * on from its checkpoint) or pruned; `pruned`: stopped there for good (see src-shared/search/asha.ts).
 */
export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled' | 'diverged' | 'interrupted' | 'waiting' | 'pruned';
export const TERMINAL_STATUSES: readonly RunStatus[] = ['finished', 'failed', 'cancelled', 'diverged', 'interrupted', 'pruned'];

export interface ExperimentSummary {
  id: number;
  name: string;
  description: string;
  notes: string;
  tags: string[];
  createdAt: string;
  runCount: number;
  /** Runs per status. */
  statusCounts: Partial<Record<RunStatus, number>>;
}

export interface RunSummary {
  id: number;
  experimentId: number;
  status: RunStatus;
  seed: number;
  repeatIndex: number;
  configHash: string;
  config: TrainConfig;
  epochsDone: number;
  finalTestAccuracy: number | null;
  finalTestLoss: number | null;
  bestTestAccuracy: number | null;
  bestEpoch: number | null;
  divergedEpoch: number | null;
  /** The rung (epoch) at which ASHA pruned its configuration, or null. */
  prunedEpoch?: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  requeuedFrom: number | null;
  tags: string[];
  notes: string;
  /** The epoch the latest resume continued from (0: from the start), or null if never resumed. */
  resumedEpoch: number | null;
  /** Why a newer checkpoint was refused at the latest resume (damaged file, …), or null. */
  resumeNote: string | null;
  /** When it was deleted in History (it is in the archive until ARCHIVE_DAYS later), or null. */
  archivedAt?: string | null;
}

/** How long a run deleted in History stays in the archive, restorable, before it is deleted for good. */
export const ARCHIVE_DAYS = 30;

/** When a run archived at `archivedAt` (ISO) is deleted for good (ms since 1970). */
export const archiveEnds = (archivedAt: string): number => Date.parse(archivedAt) + ARCHIVE_DAYS * 86_400_000;

/** A worker process on the Redis queue, as the Queue view lists it. */
export interface RemoteWorkerStatus {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  kernel: string;
  runsDone: number;
  /** Runs it is training now. */
  running: number[];
  /** ms since 1970 of its last heartbeat. */
  heartbeat: number;
  /** No heartbeat for a while: its runs go to other workers. */
  lost: boolean;
}

/** The distributed queue, when runs train on worker processes behind Redis. */
export interface RemoteQueueStatus {
  /** The Redis URL without its password. */
  url: string;
  connected: boolean;
  /** Why it is not connected. */
  error: string | null;
  /** Settings of the Redis server that put queued runs at risk (eviction, no AOF). */
  problems: string[];
  workers: RemoteWorkerStatus[];
}

/** Which files a run has in the home folder. */
export interface RunFilesInfo {
  /** A checkpoint to continue from. */
  checkpoint: boolean;
  /** The final model (safetensors), kept for finished runs. */
  model: boolean;
  /** The best-epoch model, kept when the setting is on. */
  bestModel: boolean;
}

export interface RunDetail extends RunSummary {
  epochs: Omit<EpochMetrics, 'confusion'>[];
  /** Test confusion matrix of the last completed epoch. */
  confusion: { epoch: number; matrix: number[] } | null;
  appVersion: string;
  datasetSha256: string | null;
  kernel: KernelKind | null;
  /** The newest attempt re-queued from this run ("Run again"), which stands for it in Compare; null if none. */
  supersededBy: number | null;
  /** Filled by the API from the home folder (absent where the store is used alone). */
  files?: RunFilesInfo;
}

/** Pushed while runs progress. */
export interface RunProgressEvent {
  runId: number;
  experimentId: number;
  epoch: number;
  fraction: number;
}
export interface RunEpochEvent {
  runId: number;
  experimentId: number;
  metrics: EpochMetrics;
}
export interface RunStateEvent {
  runId: number;
  experimentId: number;
  status: RunStatus;
  error: string | null;
}

/** What kind of store write failed: decides what the message tells the user to do. */
export type StoreFailureKind = 'full' | 'io' | 'readonly' | 'locked' | 'damaged' | 'other';

/**
 * Pushed when the database refused a write (full disk, I/O error, read-only file): the queue is
 * paused and the affected run stopped, and every view shows this until the queue is resumed.
 */
export interface StoreFailureEvent {
  kind: StoreFailureKind;
  /** SQLite's code, e.g. SQLITE_FULL. */
  code: string;
  /** What could not be saved, what was kept and what to do, in the user's words. */
  message: string;
  /** The run that was stopped, if the failure concerned one. */
  runId: number | null;
  experimentId: number | null;
  at: string;
}

export interface QueueStatus {
  paused: boolean;
  workers: number;
  running: number[];
  queued: number;
  /** Why queued runs cannot start (no dataset yet), or null. */
  blocked: string | null;
  /** The last store write failure since the queue was last resumed, or null. */
  storeFailure: StoreFailureEvent | null;
  /** The Redis queue and its workers when runs train on worker processes; absent when they train here. */
  remote?: RemoteQueueStatus;
}

/** Columns the runs table sorts by, besides any config field (`config.learningRate`). */
export const RUN_SORT_COLUMNS = [
  'id', 'status', 'seed', 'experiment', 'finalTestAccuracy', 'bestTestAccuracy', 'epochsDone', 'createdAt',
  'finalTestLoss', 'bestEpoch', 'duration', 'finalTrainLoss', 'finalTrainAccuracy', 'finalObjective', 'trainSeconds', 'archivedAt',
] as const;
export type RunSortKey = (typeof RUN_SORT_COLUMNS)[number] | `config.${keyof TrainConfig}`;

/** A page of the runs table as the History view asks for it. */
export interface RunPageQuery {
  status?: RunStatus;
  experimentId?: number;
  tag?: string;
  /** The History search: free text and field:value terms (see parseRunSearch). */
  search?: string;
  configField?: keyof TrainConfig;
  configValue?: string;
  /** The archive (runs deleted in History, restorable for ARCHIVE_DAYS) instead of the runs. */
  archived?: boolean;
  sort: RunSortKey;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A run's last committed epoch, for the runs table's metric columns (NaN and infinities travel as null). */
export interface RunLastEpoch {
  trainLoss: number | null;
  trainAccuracy: number | null;
  objective: number | null;
  learningRate: number | null;
  /** Training time: the seconds of every committed epoch, summed. */
  seconds: number;
}

/** A run a bulk action (History's bulk bar) left alone, and why in the user's words. */
export interface BulkSkip {
  id: number;
  reason: string;
}

/** A row of the runs table: the run and its last epoch's metrics (null before its first epoch). */
export interface RunPageRow extends RunSummary {
  last: RunLastEpoch | null;
}
