import { CIFAR } from '../../src-shared/cifar';
import type { TrainConfig } from '../../src-shared/config';
import { AppError } from '../../src-shared/errors';
import type { EpochMetrics, TrainProgress, TrainResult } from '../../src-shared/metrics';
import type { Backend } from './backend';
import { inputTransform, type Dataset, type DatasetSplit, type InputTransform } from './dataset';
import { evaluate, identityOrder } from './evaluate';
import { initialize } from './init';
import { Mlp } from './mlp';
import { createOptimizer } from './optim/optimizer';
import { Rng } from './rng';
import { captureState, restoreState, type TrainState } from './trainState';
import { learningRateAt } from './schedule';

/** Callbacks of a run. Returned promises are awaited, which lets a caller yield to its event loop. */
export interface TrainHooks {
  onEpoch?(metrics: EpochMetrics): void | Promise<void>;
  onProgress?(progress: TrainProgress): void | Promise<void>;
  /** Polled between batches; true cancels the run (completed epochs are kept). */
  shouldStop?(): boolean;
  /**
   * Polled between batches; true lets the event loop run once before the next batch, so I/O a hook
   * started in the background (a checkpoint being written) makes progress while training goes on.
   */
  yieldNow?(): boolean;
  /**
   * The whole training state after each finished epoch, before onEpoch hears of it, so a caller can
   * make it durable first (a checkpoint is never behind the metrics it reports). The state's arrays
   * are overwritten at the next epoch: copy what must outlive the call.
   */
  onCheckpoint?(state: TrainState, metrics: EpochMetrics, transform: InputTransform): void | Promise<void>;
}

export interface TrainOptions {
  backend: Backend;
  hooks?: TrainHooks;
  /** Minimum milliseconds between onProgress calls. */
  progressIntervalMs?: number;
  /** Continue from this state (a checkpoint) instead of starting at epoch 1. */
  resume?: TrainState;
}

/** Rows per forward pass when evaluating on the test set. */
const EVAL_CHUNK = 256;

function limitSplit(split: DatasetSplit, limit: number): DatasetSplit {
  return limit > 0 && limit < split.count ? { records: split.records, count: limit } : split;
}

/** The images a run of `config` trains on (its first trainLimit, or all): what train() uses, for checking a checkpoint before. */
export function trainingSplit(config: Pick<TrainConfig, 'trainLimit'>, data: Pick<Dataset, 'train'>): DatasetSplit {
  return limitSplit(data.train, config.trainLimit);
}

/**
 * Trains the report's MLP on a dataset and measures every epoch. Deterministic: the same config,
 * seed, data and backend give bit-identical metrics (weights and batch order come from separate
 * streams of the seeded RNG). A loss that turns NaN or infinite ends the run as diverged.
 */
export async function train(config: TrainConfig, data: Dataset, options: TrainOptions): Promise<TrainResult> {
  const { backend, hooks = {} } = options;
  const trainSplit = trainingSplit(config, data);
  if (trainSplit.count === 0) throw new AppError('DATASET_INVALID', 'The training split has no images');
  if (data.test.count === 0) throw new AppError('DATASET_INVALID', 'The test split has no images');

  const transform = inputTransform(config.normalization, trainSplit);
  const capacity = Math.max(config.batchSize, EVAL_CHUNK);
  const model = new Mlp(backend, { inputs: CIFAR.pixelBytes, hidden: config.hidden, classes: CIFAR.classes, activation: config.activation }, capacity);
  initialize(model, config.init, new Rng(config.seed, 1));
  const optimizer = createOptimizer(backend, model.params(config.l2), config);
  const shuffler = new Rng(config.seed, 2);
  const batch = backend.batch(capacity, CIFAR.pixelBytes);
  const preds = new Uint8Array(capacity);
  const order = identityOrder(trainSplit.count);
  const testOrder = identityOrder(data.test.count);
  const batches = Math.ceil(trainSplit.count / config.batchSize);
  const interval = options.progressIntervalMs ?? 100;
  const result: TrainResult = { status: 'finished', epochs: [], divergedEpoch: null, best: null, kernel: backend.kind, parameterCount: model.parameterCount(), transform };
  let lastProgress = -Infinity;
  let first = 0;
  let saved: TrainState | undefined;
  if (options.resume) {
    try {
      restoreState(backend, model, optimizer, shuffler, order, options.resume);
    } catch (e) {
      throw new AppError('MODEL_INVALID', `The checkpoint does not fit this run: ${(e as Error).message}`);
    }
    first = options.resume.epoch;
    result.best = options.resume.best;
  }

  for (let e = first; e < config.epochs; e++) {
    const started = performance.now();
    const lr = learningRateAt(config, e);
    shuffler.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    for (let b = 0; b < batches; b++) {
      if (hooks.shouldStop?.()) return { ...result, status: 'cancelled' };
      const start = b * config.batchSize;
      const rows = Math.min(config.batchSize, trainSplit.count - start);
      backend.loadBatch(batch, trainSplit, order, start, rows, transform);
      const loss = model.lossAndGradients(batch.x, batch.labels, rows, preds);
      if (!Number.isFinite(loss)) {
        result.epochs.push(divergedEpoch(e + 1, loss, lr, (performance.now() - started) / 1000));
        await hooks.onEpoch?.(result.epochs.at(-1)!);
        return { ...result, status: 'diverged', divergedEpoch: e + 1 };
      }
      lossSum += loss * rows;
      for (let i = 0; i < rows; i++) if (preds[i] === batch.labels[i]) correct += 1;
      optimizer.step(lr);
      if (hooks.yieldNow?.()) await nextTurn();
      const now = performance.now();
      if (hooks.onProgress && now - lastProgress >= interval) {
        lastProgress = now;
        await hooks.onProgress({ epoch: e + 1, batch: b + 1, batches, fraction: (e + (b + 1) / batches) / config.epochs });
      }
    }
    const test = evaluate(model, batch, data.test, transform, testOrder);
    const trainLoss = lossSum / trainSplit.count;
    const metrics: EpochMetrics = {
      epoch: e + 1,
      trainLoss,
      trainAccuracy: correct / trainSplit.count,
      objective: trainLoss + (config.l2 / 2) * model.weightSquares(),
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      learningRate: lr,
      seconds: (performance.now() - started) / 1000,
      confusion: test.confusion,
    };
    result.epochs.push(metrics);
    if (!result.best || metrics.testAccuracy > result.best.testAccuracy) result.best = { epoch: e + 1, testAccuracy: metrics.testAccuracy };
    if (hooks.onCheckpoint) {
      // the arrays of the previous epoch's state are reused: a caller keeps what it needs by copying
      saved = captureState(backend, model, optimizer, shuffler, order, e + 1, result.best, saved);
      await hooks.onCheckpoint(saved, metrics, transform);
    }
    await hooks.onEpoch?.(metrics);
  }
  return result;
}

/** Resolves after the event loop has run once (its I/O callbacks included). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function divergedEpoch(epoch: number, loss: number, lr: number, seconds: number): EpochMetrics {
  return {
    epoch,
    trainLoss: loss,
    trainAccuracy: NaN,
    objective: NaN,
    testLoss: NaN,
    testAccuracy: NaN,
    learningRate: lr,
    seconds,
    confusion: new Array<number>(CIFAR.classes * CIFAR.classes).fill(0),
  };
}
