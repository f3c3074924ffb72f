// Entry of a training worker thread: runs one config at a time on the shared dataset with its own
// engine (native kernels, else WASM), saving a checkpoint after every epoch and the model at the
// end, and posting progress, every finished epoch and the outcome back to the runner.
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../../src-shared/errors';
import { compileKernels, createBackend, nativeStatus, train } from '../engine/index';
import { RunFiles } from '../store/files/runFiles';
import type { FromWorker, ToWorker, WorkerData } from './messages';
import { RunFileKeeper } from './runFileKeeper';

const { dataset, cancel } = workerData as WorkerData;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'run') return;
  const { runId, config } = msg;
  Atomics.store(cancel, 0, 0);
  let best: { epoch: number; testAccuracy: number } | null = null;
  let backend;
  let keeper: RunFileKeeper | null = null;
  let resume;
  try {
    // runs follow one another in this thread: the native backend reuses the previous run's memory
    backend = createBackend(config.kernel ?? 'auto', { reuseMemory: true });
    if (msg.files) {
      keeper = new RunFileKeeper(new RunFiles(msg.files.home), runId, config, msg.files, dataset.classNames, backend.kind);
      const found = keeper.start();
      if (found) {
        post({ type: 'resumed', runId, fromEpoch: found.checkpoint?.state.epoch ?? 0, refused: found.refused });
        if (found.checkpoint) {
          resume = found.checkpoint.state;
          best = resume.best;
          // saved but not yet in the history when the process stopped: the checkpoint carries its metrics
          if (resume.epoch > msg.files.committedEpochs) post({ type: 'epoch', runId, metrics: found.checkpoint.metrics, best });
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
