// Child of npm run bench: trains the report defaults (and the same network with SGD + momentum and
// with Adam, whose checkpoints carry more state) for a few epochs on the dataset cache in `home`,
// saving a checkpoint after every epoch as a worker does, and prints one JSON line per config:
// checkpoint and model sizes; per epoch, the time the training thread spends on it (copying the
// state out of the backend, measured separately, plus encoding and hashing) and the time until the
// file is durable (written, fsynced and renamed on the thread pool while the next epoch trains);
// and the epoch times (training + test evaluation).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR } from '../src-shared/cifar';
import { parseTrainConfig, type TrainConfig } from '../src-shared/config';
import { DatasetManager } from '../src-main/data/datasetManager';
import { captureState, createBackend, train, type TrainState } from '../src-main/engine/index';
import { Mlp } from '../src-main/engine/mlp';
import { createOptimizer } from '../src-main/engine/optim/optimizer';
import { Rng } from '../src-main/engine/rng';
import { RunFiles } from '../src-main/store/files/runFiles';

const [home, epochsText] = process.argv.slice(2);
const data = await new DatasetManager(home).load();
const dir = mkdtempSync(join(tmpdir(), 'bench-ckpt-'));
const files = new RunFiles(dir);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];

/** Milliseconds of captureState (reusing the previous epoch's arrays, as the trainer does). */
function captureMs(config: TrainConfig): number {
  const backend = createBackend(config.kernel);
  const model = new Mlp(backend, { inputs: CIFAR.pixelBytes, hidden: config.hidden, classes: CIFAR.classes, activation: config.activation }, 256);
  const optimizer = createOptimizer(backend, model.params(config.l2), config);
  const order = new Int32Array(data.train.count);
  let state: TrainState | undefined;
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    state = captureState(backend, model, optimizer, new Rng(1), order, 1, null, state);
    times.push(performance.now() - t);
  }
  return median(times.slice(1));
}

const configs = { 'SGD (report defaults)': {}, 'SGD + momentum 0.9': { momentum: 0.9 }, 'Adam γ 0.001': { optimizer: 'adam', learningRate: 0.001 } } as const;
try {
  for (const [name, overrides] of Object.entries(configs)) {
    const config = parseTrainConfig({ epochs: Number(epochsText), ...overrides });
    const encodeMs: number[] = [];
    const durableMs: number[] = [];
    const scratch = { buffer: null };
    let pending: Promise<void> = Promise.resolve();
    let writing = false;
    let lastTurn = 0;
    let bytes = 0;
    const result = await train(config, data, {
      backend: createBackend(config.kernel),
      hooks: {
        // as RunFileKeeper.yieldNow: the event loop runs every 2 ms while a checkpoint is being written
        yieldNow: () => {
          if (!writing || performance.now() - lastTurn < 2) return false;
          lastTurn = performance.now();
          return true;
        },
        onCheckpoint: async (state, metrics) => {
          await pending;
          const t = performance.now();
          const saved = files.saveCheckpoint({ runId: 1, state, metrics, kernel: 'bench', datasetSha256: '' }, config, scratch);
          encodeMs.push(performance.now() - t);
          bytes = saved.bytes;
          writing = true;
          pending = saved.durable.then(() => {
            durableMs.push(performance.now() - t);
            writing = false;
          });
        },
      },
    });
    await pending;
    console.log(JSON.stringify({ name, kernel: result.kernel, bytes, captureMs: captureMs(config), encodeMs, durableMs, epochSeconds: result.epochs.map((e) => e.seconds) }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
