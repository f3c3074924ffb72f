import type { TrainConfig } from '../../src-shared/config';
import { AppError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';
import type { EpochMetrics } from '../../src-shared/metrics';
import type { InputTransform } from '../engine/dataset';
import type { TrainState } from '../engine/trainState';
import { layersFromState, type Model } from '../store/files/modelFile';
import type { CheckpointLookup, RunFiles } from '../store/files/runFiles';
import type { EncodeScratch } from '../store/files/safetensors';
import type { RunFileOptions } from './messages';

/**
 * The files of one run while it trains, in its worker thread: finds the checkpoint to continue
 * from, saves one after every epoch (and the best-epoch model when asked), and leaves the final
 * model when the run finishes. A write that fails stops the run with the reason; the run can be
 * resumed from the checkpoint before. Epochs are reported only once their checkpoint is durable.
 */
export class RunFileKeeper {
  private last: { state: TrainState; metrics: EpochMetrics } | null = null;
  private readonly scratch: EncodeScratch = { buffer: null };
  /** The latest checkpoint write; settles when it is durable (never rejects: see failure). */
  private pending: Promise<void> = Promise.resolve();
  /** Things to do once the checkpoints before them are durable, in order (reporting epochs). */
  private chain: Promise<void> = Promise.resolve();
  /** Why a write failed; the run stops at its next batch with this as its error. */
  failure: AppError | null = null;
  private writing = false;
  private lastTurn = 0;

  constructor(
    private readonly files: RunFiles,
    private readonly runId: number,
    private readonly config: TrainConfig,
    private readonly options: RunFileOptions,
    private readonly classNames: readonly string[],
    private readonly kernel: string,
  ) {}

  /** The checkpoint to continue from when the run was resumed; a fresh run clears files left under its id. */
  start(): CheckpointLookup | null {
    if (!this.options.resume) {
      try {
        this.files.removeRun(this.runId);
      } catch (e) {
        throw new AppError('IO', `Cannot clear the files left under run ${this.runId} in ${this.files.home} (${fsReason(e) ?? (e as Error).message}); fix the folder's permissions and re-queue the run.`);
      }
      return null;
    }
    const found = this.files.loadCheckpoint(this.runId, this.config, this.options.committedEpochs);
    if (found.checkpoint) this.last = { state: found.checkpoint.state, metrics: found.checkpoint.metrics };
    return found;
  }

  private failed(what: string, e: unknown, epoch: number): AppError {
    const reason = fsReason(e) ?? (e as Error).message;
    return new AppError('IO', `Could not save ${what} of run ${this.runId} in ${this.files.home} (${reason}). Free space or fix the folder, then resume the run: it continues after epoch ${epoch}.`);
  }

  /**
   * Saves the state after an epoch: encoded now (the trainer reuses the state's arrays next epoch),
   * written and fsynced on the thread pool while the next epoch trains. Waits only for the write
   * before it, which an epoch outlasts many times over.
   */
  async save(state: TrainState, metrics: EpochMetrics, transform: InputTransform): Promise<void> {
    await this.pending;
    if (this.failure) throw this.failure;
    const before = this.last?.state.epoch ?? 0;
    let durable: Promise<void>;
    try {
      durable = this.files.saveCheckpoint({ runId: this.runId, state, metrics, kernel: this.kernel }, this.config, this.scratch).durable;
    } catch (e) {
      throw this.failed(`the checkpoint of epoch ${state.epoch}`, e, before);
    }
    this.writing = true;
    this.pending = durable
      .catch((e: unknown) => {
        this.failure ??= this.failed(`the checkpoint of epoch ${state.epoch}`, e, before);
      })
      .finally(() => (this.writing = false));
    this.last = { state, metrics };
    if (this.options.keepBest && state.best?.epoch === state.epoch) {
      try {
        this.files.writeModel(this.runId, this.model(transform), 'best');
      } catch (e) {
        throw this.failed(`the best-epoch model (epoch ${state.epoch})`, e, state.epoch);
      }
    }
  }

  /**
   * Whether the trainer should let the event loop run now: while a checkpoint is being written,
   * every 2 ms, so each step of the write (write, fsync, renames) is picked up promptly. Never
   * otherwise, so training pays nothing when there is nothing to write.
   */
  yieldNow(): boolean {
    if (!this.writing) return false;
    const now = performance.now();
    if (now - this.lastTurn < 2) return false;
    this.lastTurn = now;
    return true;
  }

  /** Runs `report` once every checkpoint saved so far is durable (so the history never gets ahead of it). */
  afterSaved(report: () => void): void {
    const saved = this.pending;
    this.chain = this.chain.then(() => saved).then(report);
  }

  /** Settles when everything handed to afterSaved has run. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Writes the final model of a finished run (its checkpoint is removed once the history says finished). */
  finish(transform: InputTransform): void {
    if (!this.last) return;
    try {
      this.files.writeModel(this.runId, this.model(transform), 'final');
    } catch (e) {
      throw this.failed('the final model', e, this.last.state.epoch);
    }
  }

  private model(transform: InputTransform): Model {
    const { state, metrics } = this.last!;
    return {
      layers: layersFromState(state.tensors), config: this.config, transform: { scale: [...transform.scale], shift: [...transform.shift] },
      classNames: [...this.classNames], appVersion: this.options.appVersion, datasetSha256: this.options.datasetSha256 || null,
      runId: this.runId, epoch: state.epoch, testAccuracy: metrics.testAccuracy,
    };
  }
}
