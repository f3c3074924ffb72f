import type { TrainConfig } from '../../src-shared/config';
import { AppError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';
import type { EpochMetrics } from '../../src-shared/metrics';
import type { InputTransform } from '../engine/dataset';
import type { TrainState } from '../engine/trainState';
import type { Checkpoint } from '../store/files/checkpointFile';
import { layersFromState, readModelFile, type Model } from '../store/files/modelFile';
import type { CheckpointLookup, RunFiles } from '../store/files/runFiles';
import type { EncodeScratch } from '../store/files/safetensors';
import type { RunFileOptions } from './messages';

/** A write's outcome: null when durable, else why not. */
type Outcome = { error: unknown } | null;

/** Starts a write and turns its failure, synchronous or not, into an outcome (never rejects). */
function outcome(start: () => Promise<void>): Promise<Outcome> {
  try {
    return start().then(
      () => null,
      (error: unknown) => ({ error }),
    );
  } catch (error) {
    return Promise.resolve({ error });
  }
}

/**
 * The files of one run while it trains, in its worker thread: finds the checkpoint to continue
 * from, saves one after every epoch (and the best-epoch model when asked), and leaves the final
 * model when the run finishes. A write that fails stops the run with the reason; the run can be
 * resumed from the checkpoint before. Epochs are reported only once their files are durable, and
 * an epoch whose files could not be written is never reported.
 */
export class RunFileKeeper {
  private last: { state: TrainState; metrics: EpochMetrics } | null = null;
  private readonly scratch: EncodeScratch = { buffer: null };
  /** The latest epoch's writes: true once all are durable, false if one failed (see failure). Never rejects. */
  private pending: Promise<boolean> = Promise.resolve(true);
  /** Things to do once the writes before them are durable, in order (reporting epochs). */
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

  /**
   * The checkpoint to continue from when the run was resumed (one `fits` refuses is passed over,
   * see RunFiles.loadCheckpoint); a fresh run clears files left under its id.
   */
  start(fits?: (c: Checkpoint) => string | null): CheckpointLookup | null {
    if (!this.options.resume) {
      try {
        this.files.removeRun(this.runId);
      } catch (e) {
        throw new AppError('IO', `Cannot clear the files left under run ${this.runId} in ${this.files.home} (${fsReason(e) ?? (e as Error).message}); fix the folder's permissions and re-queue the run.`);
      }
      return null;
    }
    const found = this.files.loadCheckpoint(this.runId, this.config, this.options.committedEpochs, fits);
    if (found.checkpoint) this.last = { state: found.checkpoint.state, metrics: found.checkpoint.metrics };
    return found;
  }

  /**
   * Whether the checkpoint continued from is the run's best epoch so far while the best-epoch model
   * is missing or of another epoch: the process stopped between the two writes (or the newer
   * checkpoint was refused). writeBestModel completes it.
   */
  bestModelMissing(): boolean {
    const s = this.last?.state;
    if (!this.options.keepBest || !s?.best || s.best.epoch !== s.epoch) return false;
    try {
      return readModelFile(this.files.modelPath(this.runId, 'best')).epoch !== s.epoch;
    } catch {
      return true;
    }
  }

  /** Writes the best-epoch model from the checkpoint continued from (see bestModelMissing). */
  writeBestModel(transform: InputTransform): void {
    const epoch = this.last!.state.epoch;
    try {
      this.files.writeModel(this.runId, this.model(transform), 'best');
    } catch (e) {
      throw this.failed(`the best-epoch model (epoch ${epoch})`, e, epoch);
    }
  }

  private failed(what: string, e: unknown, epoch: number): AppError {
    const reason = fsReason(e) ?? (e as Error).message;
    return new AppError('IO', `Could not save ${what} of run ${this.runId} in ${this.files.home} (${reason}). Free space or fix the folder, then resume the run: it continues after epoch ${epoch}.`);
  }

  /**
   * Saves the state after an epoch, and the model when it is the best epoch so far: encoded now
   * (the trainer reuses the state's arrays next epoch), written and fsynced on the thread pool
   * while the next epoch trains. Waits only for the writes before it, which an epoch outlasts many
   * times over; a failure of those stops the run here.
   */
  async save(state: TrainState, metrics: EpochMetrics, transform: InputTransform): Promise<void> {
    await this.pending;
    if (this.failure) throw this.failure;
    // never more than one epoch ahead of the history: wait until the epoch before this one is
    // committed (two generations are kept, so a crash always leaves one a resume can use). A run
    // asked to stop meanwhile ends without this epoch: neither saved nor reported
    if (!(await this.committed(state.epoch - 1))) {
      this.pending = Promise.resolve(false);
      return;
    }
    const before = this.last?.state.epoch ?? 0;
    const epoch = state.epoch;
    const checkpoint = outcome(() => this.files.saveCheckpoint({ runId: this.runId, state, metrics, kernel: this.kernel, datasetSha256: this.options.datasetSha256 }, this.config, this.scratch, this.options.syncFiles ?? true).durable);
    this.last = { state, metrics };
    const best = this.options.keepBest && state.best?.epoch === epoch ? outcome(() => this.files.saveModel(this.runId, this.model(transform), 'best').durable) : Promise.resolve(null);
    this.writing = true;
    this.pending = Promise.all([checkpoint, best])
      .then(([c, b]) => {
        // the checkpoint decides where a resumed run continues: after this epoch only if it was saved
        if (c) this.failure ??= this.failed(`the checkpoint of epoch ${epoch}`, c.error, before);
        else if (b) this.failure ??= this.failed(`the best-epoch model (epoch ${epoch})`, b.error, epoch);
        return !c && !b;
      })
      .finally(() => (this.writing = false));
  }

  /**
   * Resolves true once the history holds `epoch` epochs of this run (see RunFileOptions.committed),
   * false if the run is asked to stop first (element 0 of the flags): it ends at its next batch.
   */
  private async committed(epoch: number): Promise<boolean> {
    const flag = this.options.committed;
    if (!flag) return true;
    const atomics = Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string } };
    for (let seen = Atomics.load(flag, 1); seen < epoch; seen = Atomics.load(flag, 1)) {
      if (Atomics.load(flag, 0) === 1) return false;
      const wait = atomics.waitAsync(flag, 1, seen, 1000);
      if (wait.async) await wait.value;
    }
    return true;
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

  /**
   * Runs `report` once every file saved so far is durable, and never if one could not be written
   * (so the history is never ahead of the checkpoint).
   */
  afterSaved(report: () => void): void {
    const saved = this.pending;
    this.chain = this.chain.then(() => saved).then((ok) => {
      if (ok) report();
    });
  }

  /** Settles when everything handed to afterSaved has run. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Writes the final model of a finished run (its checkpoint is removed once the history says finished). */
  finish(transform: InputTransform): void {
    if (!this.last) return;
    try {
      this.files.writeModel(this.runId, this.model(transform), 'final', this.options.syncFiles ?? true);
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
