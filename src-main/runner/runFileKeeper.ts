import type { TrainConfig } from '../../src-shared/config';
import { AppError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';
import type { EpochMetrics } from '../../src-shared/metrics';
import type { InputTransform } from '../engine/dataset';
import type { TrainState } from '../engine/trainState';
import { layersFromState, type Model } from '../store/files/modelFile';
import type { CheckpointLookup, RunFiles } from '../store/files/runFiles';
import type { RunFileOptions } from './messages';

/**
 * The files of one run while it trains, in its worker thread: finds the checkpoint to continue
 * from, saves one after every epoch (and the best-epoch model when asked), and leaves the final
 * model when the run finishes. A write that fails stops the run with the reason; the run can be
 * resumed from the checkpoint before.
 */
export class RunFileKeeper {
  private last: { state: TrainState; metrics: EpochMetrics } | null = null;

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
      this.files.removeRun(this.runId);
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

  save(state: TrainState, metrics: EpochMetrics, transform: InputTransform): void {
    try {
      this.files.writeCheckpoint({ runId: this.runId, state, metrics, kernel: this.kernel }, this.config);
    } catch (e) {
      throw this.failed(`the checkpoint of epoch ${state.epoch}`, e, this.last?.state.epoch ?? 0);
    }
    this.last = { state, metrics };
    if (this.options.keepBest && state.best?.epoch === state.epoch) {
      try {
        this.files.writeModel(this.runId, this.model(transform), 'best');
      } catch (e) {
        throw this.failed(`the best-epoch model (epoch ${state.epoch})`, e, state.epoch);
      }
    }
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
