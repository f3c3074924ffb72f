// Entry of a training worker thread: runs one config at a time on the shared dataset with its own
// engine (native kernels, else WASM), saving a checkpoint after every epoch and the model at the
// end, and posting progress, every finished epoch and the outcome back to the runner.
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../../src-shared/errors';
import { compileKernels, createBackend, nativeStatus, train } from '../engine/index';
import { CIFAR } from '../../src-shared/cifar';
import { inputTransform } from '../engine/dataset';
import { trainingSplit } from '../engine/trainer';
import { stateMismatch } from '../engine/trainState';
import type { Checkpoint } from '../store/files/checkpointFile';
import { RunFiles } from '../store/files/runFiles';
import type { FromWorker, ToWorker, WorkerData } from './messages';
import { RunFileKeeper } from './runFileKeeper';

const { dataset, cancel } = workerData as WorkerData;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

/** What makes a run continued from `c` differ from one never stopped (recorded in its resume note). */
function continuationNotes(c: Checkpoint, kernel: string, datasetSha256: string): string[] {
  const notes: string[] = [];
  if (c.kernel && c.kernel !== kernel) notes.push(`Continued on ${kernel} (was ${c.kernel}): metrics after epoch ${c.state.epoch} are not bit-identical to an uninterrupted run.`);
  if (c.datasetSha256 && datasetSha256 && c.datasetSha256 !== datasetSha256) {
    notes.push(`Continued on another dataset (sha256 ${datasetSha256.slice(0, 12)}…, was ${c.datasetSha256.slice(0, 12)}…): metrics after epoch ${c.state.epoch} are not comparable with an uninterrupted run.`);
  }
  return notes;
}

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'run') return;
  const { runId, config } = msg;
  Atomics.store(cancel, 0, 0);
  Atomics.store(cancel, 1, msg.files?.committedEpochs ?? 0);
  let best: { epoch: number; testAccuracy: number } | null = null;
  let backend;
  let keeper: RunFileKeeper | null = null;
  let resume;
  try {
    // runs follow one another in this thread: the native backend reuses the previous run's memory
    backend = createBackend(config.kernel ?? 'auto', { reuseMemory: true });
    if (msg.files) {
      // the keeper waits on this slot's flags for the history to catch up (see WorkerPool.acknowledge)
      const options = { ...msg.files, committed: cancel };
      keeper = new RunFileKeeper(new RunFiles(options.home), runId, config, options, dataset.classNames, backend.kind);
      const split = trainingSplit(config, dataset);
      // a checkpoint of another network or optimizer is refused like a damaged one: the one before is tried
      const found = keeper.start((c) => stateMismatch(c.state, config, CIFAR.pixelBytes, CIFAR.classes, split.count));
      if (found) {
        const c = found.checkpoint;
        post({ type: 'resumed', runId, fromEpoch: c?.state.epoch ?? 0, refused: [...found.refused, ...(c ? continuationNotes(c, backend.kind, options.datasetSha256) : [])] });
        if (c) {
          resume = c.state;
          best = resume.best;
          // the process stopped between the checkpoint and the best epoch's model: complete it
          if (keeper.bestModelMissing()) keeper.writeBestModel(inputTransform(config.normalization, split));
          // saved but not yet in the history when the process stopped: the checkpoint carries its metrics
          if (resume.epoch > options.committedEpochs) post({ type: 'epoch', runId, metrics: c.metrics, best });
        }
      }
    }
  } catch (e) {
    post({ type: 'error', runId, error: toWireError(e) });
    return;
  }
  post({ type: 'started', runId, kernel: backend.kind });
  train(config, dataset, {
    backend,
    resume,
    progressIntervalMs: 250,
    hooks: {
      // a checkpoint that could not be written stops the run (its error is reported below)
      shouldStop: () => Atomics.load(cancel, 0) === 1 || keeper?.failure != null,
      yieldNow: keeper ? () => keeper.yieldNow() : undefined,
      onProgress: (p) => post({ type: 'progress', runId, epoch: p.epoch, fraction: p.fraction }),
      // durable before the epoch is reported, so the history is never ahead of the checkpoint
      onCheckpoint: keeper ? (state, metrics, transform) => keeper.save(state, metrics, transform) : undefined,
      onEpoch: (metrics) => {
        if (Number.isFinite(metrics.testAccuracy) && (!best || metrics.testAccuracy > best.testAccuracy)) best = { epoch: metrics.epoch, testAccuracy: metrics.testAccuracy };
        const message: FromWorker = { type: 'epoch', runId, metrics, best };
        if (keeper) keeper.afterSaved(() => post(message));
        else post(message);
      },
    },
  })
    .then(async (r) => {
      await keeper?.settled();
      if (keeper?.failure) throw keeper.failure;
      if (r.status === 'finished') keeper?.finish(r.transform);
      post({ type: 'done', runId, status: r.status, divergedEpoch: r.divergedEpoch, kernel: r.kernel });
    })
    .catch(async (e: unknown) => {
      await keeper?.settled();
      post({ type: 'error', runId, error: toWireError(e) });
    });
});

// compile the kernels now, so a run handed to this worker starts training at once; if they cannot
// be compiled, each run fails with the reason instead of this worker dying and being restarted
try {
  nativeStatus();
  compileKernels();
} catch {
  // reported by the run
}
post({ type: 'ready' });
