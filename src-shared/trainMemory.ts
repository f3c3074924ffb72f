import { CIFAR } from './cifar';
import type { TrainConfig } from './config';
import { formatBytes } from './format';

/**
 * The most memory one run's tensors may take. The WebAssembly kernels (what `auto` falls back to
 * where the native addon is missing) keep every tensor of a run in one WASM memory, and their
 * allocator addresses it with 32-bit signed arithmetic, so a run has just under 2 GiB (2.15 GB) of
 * tensors there (the memory itself could grow to 4 GiB). The same limit holds whichever kernels a
 * machine picks, so a config valid on one machine is valid on every one; 2.00 GB leaves room for
 * the kernels' own data.
 */
export const MAX_RUN_MEMORY_BYTES = 2e9;

/** Rows the engine sizes its buffers for at least: the test set is evaluated in chunks of this many (trainer.ts EVAL_CHUNK). */
export const EVAL_ROWS = 256;

/** The fields of a config that decide how much memory its run allocates. */
export type MemoryFields = Pick<TrainConfig, 'hidden' | 'batchSize' | 'optimizer' | 'momentum' | 'kernel'>;

/** Bytes a run allocates, by what they hold. */
export interface TrainMemoryEstimate {
  /** Weights and biases. */
  parameters: number;
  gradients: number;
  /** Adam's two moments or SGD's momentum velocity (0 for plain SGD). */
  optimizerState: number;
  /** Activations, their gradients, the input batch and the kernels' workspace, for `rows` rows. */
  activations: number;
  rows: number;
  total: number;
}

// Upper bounds of the kernels' padding: the native kernels round every row to 16 floats, the WASM
// kernels round rows of a matrix up to 4 and weight columns up to 8.
const cols = (n: number): number => Math.ceil(n / 16) * 16;
const rowsOf = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * What a run of `config` allocates, counted as the engine does (src-main/engine/mlp.ts, layers/,
 * optim/, trainer.ts): per dense layer W, b and their gradients, its output z and, past the first
 * layer, the input gradient; per hidden layer the activation and its gradient; the softmax output
 * and its gradient; the input batch; the optimizer's state; and a transposed copy of the largest
 * weight matrix as workspace. Buffers hold max(batch size, 256) rows. Pure and cheap, so forms can
 * call it on every keystroke.
 */
export function estimateTrainMemory(config: MemoryFields): TrainMemoryEstimate {
  const rows = rowsOf(Math.max(config.batchSize, EVAL_ROWS));
  const widths = [CIFAR.pixelBytes, ...config.hidden, CIFAR.classes];
  let params = 0;
  // the input batch (plus the WASM kernels' staging copy of its bytes), the softmax output and its gradient
  let acts = rows * (cols(CIFAR.pixelBytes) + CIFAR.pixelBytes / 4) + 2 * rows * cols(CIFAR.classes);
  let workspace = rows * cols(Math.max(...widths.slice(1)));
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fanIn, fanOut] = [widths[l], widths[l + 1]];
    params += fanIn * cols(fanOut) + cols(fanOut);
    acts += rows * cols(fanOut);
    if (l > 0) {
      acts += rows * cols(fanIn);
      workspace = Math.max(workspace, fanOut * cols(fanIn));
    }
    if (l + 2 < widths.length) acts += 2 * rows * cols(fanOut);
  }
  const states = config.optimizer === 'adam' ? 2 : config.momentum > 0 ? 1 : 0;
  const bytes = config.kernel === 'f64' ? 8 : 4;
  const e = { parameters: params * bytes, gradients: params * bytes, optimizerState: states * params * bytes, activations: (acts + workspace) * bytes, rows };
  return { ...e, total: e.parameters + e.gradients + e.optimizerState + e.activations };
}

/**
 * Why a config cannot train, with the figure and the limit and what to change; null when it fits.
 * Names the batch size and optimizer since they multiply what the hidden layers cost.
 */
export function memoryProblem(config: MemoryFields): string | null {
  const e = estimateTrainMemory(config);
  if (e.total <= MAX_RUN_MEMORY_BYTES) return null;
  const state = config.optimizer === 'adam' ? `, Adam state ${formatBytes(e.optimizerState)}` : e.optimizerState > 0 ? `, momentum ${formatBytes(e.optimizerState)}` : '';
  const kernel = config.kernel === 'f64' ? ' in float64' : '';
  return (
    `with batch size ${config.batchSize} and ${config.optimizer}${kernel} this network needs about ${formatBytes(e.total)} of memory to train ` +
    `(parameters ${formatBytes(e.parameters)}, gradients ${formatBytes(e.gradients)}${state}, activations for ${e.rows} rows ${formatBytes(e.activations)}), ` +
    `more than the ${formatBytes(MAX_RUN_MEMORY_BYTES)} one run may use: use fewer or narrower hidden layers, a smaller batch size or plain SGD`
  );
}
