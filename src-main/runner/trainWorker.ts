// Entry of a training worker thread: runs one config at a time on the shared dataset with its own
// engine (native kernels, else WASM), posting progress, every finished epoch and the outcome back to the runner.
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../../src-shared/errors';
import { compileKernels, createBackend, nativeStatus, train } from '../engine/index';
import type { FromWorker, ToWorker, WorkerData } from './messages';

const { dataset, cancel } = workerData as WorkerData;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'run') return;
  const { runId, config } = msg;
  Atomics.store(cancel, 0, 0);
  let best: { epoch: number; testAccuracy: number } | null = null;
  let backend;
  try {
    // runs follow one another in this thread: the native backend reuses the previous run's memory
    backend = createBackend(config.kernel ?? 'auto', { reuseMemory: true });
  } catch (e) {
    post({ type: 'error', runId, error: toWireError(e) });
    return;
  }
  post({ type: 'started', runId, kernel: backend.kind });
  train(config, dataset, {
    backend,
    progressIntervalMs: 250,
    hooks: {
      shouldStop: () => Atomics.load(cancel, 0) === 1,
      onProgress: (p) => post({ type: 'progress', runId, epoch: p.epoch, fraction: p.fraction }),
      onEpoch: (metrics) => {
        if (Number.isFinite(metrics.testAccuracy) && (!best || metrics.testAccuracy > best.testAccuracy)) best = { epoch: metrics.epoch, testAccuracy: metrics.testAccuracy };
        post({ type: 'epoch', runId, metrics, best });
      },
    },
  }).then(
    (r) => post({ type: 'done', runId, status: r.status, divergedEpoch: r.divergedEpoch, kernel: r.kernel }),
    (e: unknown) => post({ type: 'error', runId, error: toWireError(e) }),
  );
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
