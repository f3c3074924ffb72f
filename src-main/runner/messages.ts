import type { TrainConfig } from '../../src-shared/config';
import type { WireError } from '../../src-shared/errors';
import type { EpochMetrics, KernelKind, TrainStatus } from '../../src-shared/metrics';
import type { Dataset } from '../engine/dataset';

/** Given to a worker once: the shared dataset bytes and its cancel flag (nothing is copied). */
export interface WorkerData {
  dataset: Pick<Dataset, 'train' | 'test' | 'classNames'>;
  /**
   * Int32Array over a SharedArrayBuffer: element 0 set to 1 asks the current run to stop between
   * batches; element 1 holds how many of its epochs are committed to the history.
   */
  cancel: Int32Array;
}

/** Where a run keeps its files and what its model records, when the runner has a home folder. */
export interface RunFileOptions {
  home: string;
  /** Continue from the run's checkpoint (it was resumed); otherwise any stale one is removed first. */
  resume: boolean;
  /** Epochs of this run already committed to the history. */
  committedEpochs: number;
  /** Also keep the model of the best epoch. */
  keepBest: boolean;
  appVersion: string;
  datasetSha256: string;
  /**
   * false: checkpoints and the final model are not fsynced. A `workbench worker` keeps a run's
   * durable copies in Redis and clears its local files whenever it takes a run, so fsyncing them
   * there only takes CPU and I/O from training. Default true (the local runner: the files are the
   * run's only copies).
   */
  syncFiles?: boolean;
  /**
   * Set by the worker thread itself: the shared flags of its slot, whose element 1 the pool sets to
   * the epochs of this run committed to the history (see WorkerPool.acknowledge).
   */
  committed?: Int32Array;
}

export type ToWorker = { type: 'run'; runId: number; config: TrainConfig; files: RunFileOptions | null };

export type FromWorker =
  /** Sent once when the worker has loaded its engine and compiled the kernels. */
  | { type: 'ready' }
  | { type: 'progress'; runId: number; epoch: number; fraction: number }
  | { type: 'epoch'; runId: number; metrics: EpochMetrics; best: { epoch: number; testAccuracy: number } | null }
  /** The run's backend exists; `kernel` is the one actually used (e.g. native-avx512). */
  | { type: 'started'; runId: number; kernel: KernelKind }
  /**
   * A resumed run continues after `fromEpoch` (0: from the start); `refused` says why newer
   * checkpoints were not used, then what makes the continuation differ from a run never stopped
   * (another kernel or dataset). All of it becomes the run's resume note.
   */
  | { type: 'resumed'; runId: number; fromEpoch: number; refused: string[] }
  | { type: 'done'; runId: number; status: TrainStatus; divergedEpoch: number | null; kernel: string }
  | { type: 'error'; runId: number; error: WireError };
