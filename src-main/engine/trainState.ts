import type { TrainConfig } from '../../src-shared/config';
import type { Backend, Mat } from './backend';
import type { Mlp } from './mlp';
import type { Optimizer } from './optim/optimizer';
import type { Rng, RngState } from './rng';

/** One saved tensor: logical row-major values (float32, or float64 from the reference backend). */
export interface StateTensor {
  shape: number[];
  data: Float32Array | Float64Array;
}

/**
 * Everything a run needs to continue after `epoch` completed epochs and give the same numbers as if
 * it had never stopped: parameters, optimizer buffers and step count, the shuffling generator and
 * the current batch order (each epoch shuffles the previous epoch's order in place).
 */
export interface TrainState {
  epoch: number;
  tensors: Record<string, StateTensor>;
  optimizerSteps: number;
  shuffler: RngState;
  order: Int32Array;
  best: { epoch: number; testAccuracy: number } | null;
}

function named(model: Mlp, optimizer: Optimizer): { name: string; mat: Mat }[] {
  return [...model.params(0).map((p) => ({ name: p.name, mat: p.param })), ...optimizer.buffers()];
}

/**
 * Copies the run's state out of the backend (this also completes any deferred update). With
 * `into` (the state captured an epoch before), its arrays are overwritten instead of allocated:
 * fresh memory costs page faults that would make every checkpoint several milliseconds slower.
 */
export function captureState(backend: Backend, model: Mlp, optimizer: Optimizer, shuffler: Rng, order: Int32Array, epoch: number, best: TrainState['best'], into?: TrainState): TrainState {
  const tensors: Record<string, StateTensor> = into?.tensors ?? {};
  const exact64 = backend.kind === 'f64-reference';
  for (const { name, mat } of named(model, optimizer)) {
    const n = mat.rows * mat.cols;
    const reuse = tensors[name]?.data;
    const data = reuse && reuse.length === n ? reuse : exact64 ? new Float64Array(n) : new Float32Array(n);
    tensors[name] = { shape: [mat.rows, mat.cols], data: backend.read(mat, mat.rows, data) };
  }
  const saved = into?.order.length === order.length ? into.order : new Int32Array(order.length);
  saved.set(order);
  return { epoch, tensors, optimizerSteps: optimizer.steps, shuffler: shuffler.getState(), order: saved, best };
}

/**
 * Puts a saved state back; throws (with the tensor's name) when it does not fit this network, so a
 * checkpoint of another shape is refused rather than half-applied.
 */
export function restoreState(backend: Backend, model: Mlp, optimizer: Optimizer, shuffler: Rng, order: Int32Array, state: TrainState): void {
  const targets = named(model, optimizer);
  for (const { name, mat } of targets) {
    const t = state.tensors[name];
    if (!t) throw new Error(`it has no tensor ${name}`);
    if (t.shape.length !== 2 || t.shape[0] !== mat.rows || t.shape[1] !== mat.cols) throw new Error(`tensor ${name} is [${t.shape}], the network needs [${mat.rows}, ${mat.cols}]`);
  }
  const extra = Object.keys(state.tensors).filter((n) => !targets.some((t) => t.name === n));
  if (extra.length) throw new Error(`it has tensors this run does not use (${extra.join(', ')}): another optimizer or network`);
  if (state.order.length !== order.length) throw new Error(`its batch order covers ${state.order.length} images, this run trains on ${order.length}`);
  for (const { name, mat } of targets) backend.write(mat, state.tensors[name].data);
  optimizer.steps = state.optimizerSteps;
  shuffler.setState(state.shuffler);
  order.set(state.order);
}

/** The tensors a run of `config` saves, with their shapes [rows, cols]: parameters, then optimizer buffers. */
export function stateShapes(config: Pick<TrainConfig, 'hidden' | 'optimizer' | 'momentum'>, inputs: number, classes: number): Map<string, [number, number]> {
  const widths = [inputs, ...config.hidden, classes];
  const params: [string, [number, number]][] = [];
  for (let l = 1; l < widths.length; l++) params.push([`W${l}`, [widths[l - 1], widths[l]]], [`b${l}`, [1, widths[l]]]);
  const buffers = config.optimizer === 'adam' ? ['m', 'v'] : config.momentum > 0 ? ['velocity'] : [];
  return new Map([...params, ...buffers.flatMap((b) => params.map(([name, shape]): [string, [number, number]] => [`${name}.${b}`, shape]))]);
}

/**
 * Why a saved state cannot continue a run of `config` that trains on `trainCount` images, in the
 * words restoreState uses; null when it fits. Checked before a checkpoint is chosen, so one that
 * does not fit is passed over for the one before it instead of failing the run.
 */
export function stateMismatch(state: TrainState, config: Pick<TrainConfig, 'hidden' | 'optimizer' | 'momentum'>, inputs: number, classes: number, trainCount: number): string | null {
  const shapes = stateShapes(config, inputs, classes);
  for (const [name, [rows, cols]] of shapes) {
    const t = state.tensors[name];
    if (!t) return `it has no tensor ${name}`;
    if (t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== cols) return `tensor ${name} is [${t.shape}], the network needs [${rows}, ${cols}]`;
  }
  const extra = Object.keys(state.tensors).filter((n) => !shapes.has(n));
  if (extra.length) return `it has tensors this run does not use (${extra.join(', ')}): another optimizer or network`;
  if (state.order.length !== trainCount) return `its batch order covers ${state.order.length} images, this run trains on ${trainCount}`;
  return null;
}
