import { readFileSync } from 'node:fs';
import { CIFAR, CIFAR_CLASS_NAMES } from '../../../src-shared/cifar';
import { completeStoredConfig, trainConfigFieldsSchema, type TrainConfig } from '../../../src-shared/config';
import { AppError } from '../../../src-shared/errors';
import type { InputTransform } from '../../engine/dataset';
import type { StateTensor } from '../../engine/trainState';
import { decodeSafetensors, encodeSafetensors, type Tensor } from './safetensors';

/** The format name and version written into every model's metadata. */
export const MODEL_FORMAT = 'cifar-workbench-mlp';
export const MODEL_FORMAT_VERSION = '1';

/** One dense layer in the engine's layout: w is fan_in × fan_out, row-major. */
export interface ModelLayer {
  fanIn: number;
  fanOut: number;
  w: Float32Array;
  b: Float32Array;
}

/** A trained network with what is needed to use it outside the app. */
export interface Model {
  layers: ModelLayer[];
  config: TrainConfig;
  /** x = byte·scale[c] + shift[c] for colour plane c (R, G, B). */
  transform: InputTransform;
  classNames: string[];
  appVersion: string;
  datasetSha256: string | null;
  runId: number | null;
  /** The epoch these weights are from. */
  epoch: number;
  testAccuracy: number | null;
}

/** The engine's parameter tensors (W1, b1, W2, …, fan_in × fan_out) as model layers. */
export function layersFromState(tensors: Record<string, StateTensor>): ModelLayer[] {
  const layers: ModelLayer[] = [];
  for (let l = 1; tensors[`W${l}`]; l++) {
    const w = tensors[`W${l}`];
    layers.push({ fanIn: w.shape[0], fanOut: w.shape[1], w: Float32Array.from(w.data), b: Float32Array.from(tensors[`b${l}`].data) });
  }
  return layers;
}

const ACTIVATION_NAMES = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'ReLU' } as const;

/** The network as PyTorch would print it: Linear and activation modules of an nn.Sequential. */
export function architecture(model: Pick<Model, 'layers' | 'config'>): string {
  return model.layers.map((l, i) => `Linear(${l.fanIn}, ${l.fanOut})${i + 1 < model.layers.length ? ` ${ACTIVATION_NAMES[model.config.activation]}` : ''}`).join(' ');
}

/**
 * Encodes a model as safetensors named like a PyTorch nn.Sequential state dict: the Linear at
 * position 2i holds `2i.weight` (fan_out × fan_in, PyTorch's orientation) and `2i.bias`; the
 * activations between them have no parameters. The metadata says how to build and feed it.
 */
export function encodeModel(model: Model): Buffer {
  const tensors: Record<string, Tensor> = {};
  model.layers.forEach((l, i) => {
    const t = new Float32Array(l.fanIn * l.fanOut);
    for (let r = 0; r < l.fanIn; r++) for (let c = 0; c < l.fanOut; c++) t[c * l.fanIn + r] = l.w[r * l.fanOut + c];
    tensors[`${2 * i}.weight`] = { dtype: 'F32', shape: [l.fanOut, l.fanIn], data: t };
    tensors[`${2 * i}.bias`] = { dtype: 'F32', shape: [l.fanOut], data: l.b };
  });
  return encodeSafetensors(tensors, {
    format: MODEL_FORMAT,
    format_version: MODEL_FORMAT_VERSION,
    architecture: architecture(model),
    activation: model.config.activation,
    input: 'the 3072 bytes of a CIFAR-10 record after its label: R, G, B planes of 32×32, rows top to bottom (a [3, 32, 32] tensor flattened); x = byte * scale[c] + shift[c]',
    normalization: JSON.stringify({ scale: model.transform.scale, shift: model.transform.shift, kind: model.config.normalization }),
    classes: JSON.stringify(model.classNames),
    config: JSON.stringify(model.config),
    app_version: model.appVersion,
    dataset_sha256: model.datasetSha256 ?? '',
    run_id: model.runId === null ? '' : String(model.runId),
    epoch: String(model.epoch),
    test_accuracy: model.testAccuracy === null ? '' : String(model.testAccuracy),
  });
}

function parseJson<T>(text: string | undefined, what: string, field: string): T {
  try {
    return JSON.parse(text ?? '') as T;
  } catch {
    throw new AppError('MODEL_INVALID', `The ${what} has no readable '${field}' in its metadata; it was not saved by this app`);
  }
}

/** Decodes and checks a model written by encodeModel; `what` names it in errors. */
export function decodeModel(bytes: Uint8Array, what: string): Model {
  const { metadata, tensors } = decodeSafetensors(bytes, what);
  if (metadata.format !== MODEL_FORMAT) throw new AppError('MODEL_INVALID', `The ${what} is a safetensors file but not a workbench model (format '${metadata.format ?? 'none'}'); export models from a run's page or with workbench runs export-model`);
  if (metadata.format_version !== MODEL_FORMAT_VERSION) throw new AppError('MODEL_INVALID', `The ${what} has model format version ${metadata.format_version}; this app reads version ${MODEL_FORMAT_VERSION}`);
  const parsed = trainConfigFieldsSchema.safeParse(completeStoredConfig(parseJson<TrainConfig>(metadata.config, what, 'config')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('MODEL_INVALID', `The ${what} has an invalid config in its metadata (${issue.path.join('.') || 'config'}: ${issue.message})`);
  }
  const config = parsed.data;
  const norm = parseJson<{ scale: number[]; shift: number[] } | null>(metadata.normalization, what, 'normalization');
  const planes = (v: unknown): boolean => Array.isArray(v) && v.length === CIFAR.channels && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!norm || !planes(norm.scale) || !planes(norm.shift)) {
    throw new AppError('MODEL_INVALID', `The ${what} has no valid normalization in its metadata (it needs 3 finite scale and 3 shift constants, one per colour plane)`);
  }
  const classNames = parseJson<string[]>(metadata.classes, what, 'classes');
  if (!Array.isArray(classNames) || !classNames.every((c) => typeof c === 'string')) throw new AppError('MODEL_INVALID', `The ${what} has no valid 'classes' in its metadata (a JSON list of class names)`);
  const layers: ModelLayer[] = [];
  let inputs: number = CIFAR.pixelBytes;
  for (let i = 0; tensors[`${2 * i}.weight`]; i++) {
    const w = tensors[`${2 * i}.weight`];
    const b = tensors[`${2 * i}.bias`];
    if (w.dtype !== 'F32' || w.shape.length !== 2 || w.shape[1] !== inputs) throw new AppError('MODEL_INVALID', `The ${what}: ${2 * i}.weight is ${w.dtype} [${w.shape}], expected F32 [n, ${inputs}]`);
    const [fanOut, fanIn] = w.shape;
    if (!b || b.dtype !== 'F32' || b.shape.length !== 1 || b.shape[0] !== fanOut) throw new AppError('MODEL_INVALID', `The ${what}: ${2 * i}.bias is missing or not F32 [${fanOut}]`);
    const engine = new Float32Array(fanIn * fanOut);
    for (let r = 0; r < fanIn; r++) for (let c = 0; c < fanOut; c++) engine[r * fanOut + c] = w.data[c * fanIn + r];
    layers.push({ fanIn, fanOut, w: engine, b: b.data as Float32Array });
    inputs = fanOut;
  }
  if (layers.length === 0) throw new AppError('MODEL_INVALID', `The ${what} has no layer tensors (0.weight, 0.bias, …)`);
  const unused = Object.keys(tensors).filter((n) => !/^\d+\.(weight|bias)$/.test(n) || Number(n.split('.')[0]) >= 2 * layers.length || Number(n.split('.')[0]) % 2 !== 0);
  if (unused.length) throw new AppError('MODEL_INVALID', `The ${what} has tensors that are not layers of its network (${unused.join(', ')})`);
  if (metadata.activation !== config.activation) throw new AppError('MODEL_INVALID', `The ${what}: its activation metadata '${metadata.activation}' disagrees with its config (${config.activation})`);
  if (inputs !== classNames.length) throw new AppError('MODEL_INVALID', `The ${what} has ${inputs} outputs but ${classNames.length} class names`);
  const hidden = layers.slice(0, -1).map((l) => l.fanOut);
  if (hidden.join() !== config.hidden.join()) throw new AppError('MODEL_INVALID', `The ${what}: its layers (${hidden.join('×')}) disagree with its config (${config.hidden.join('×')})`);
  const runId = metadata.run_id ? Number(metadata.run_id) : null;
  const acc = metadata.test_accuracy ? Number(metadata.test_accuracy) : null;
  const epoch = Number(metadata.epoch ?? 0);
  if ((runId !== null && !(Number.isSafeInteger(runId) && runId > 0)) || (acc !== null && !(acc >= 0 && acc <= 1)) || !(Number.isSafeInteger(epoch) && epoch >= 0)) {
    throw new AppError('MODEL_INVALID', `The ${what} has invalid metadata: run_id '${metadata.run_id}', epoch '${metadata.epoch}', test_accuracy '${metadata.test_accuracy}' (a run id, an epoch count and a fraction 0–1 are expected)`);
  }
  return {
    layers, config, transform: { scale: norm.scale, shift: norm.shift }, classNames, appVersion: metadata.app_version ?? '',
    datasetSha256: metadata.dataset_sha256 || null, runId, epoch, testAccuracy: acc,
  };
}

/** Reads a model file, with the path in every error. */
export function readModelFile(path: string): Model {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', code === 'ENOENT' ? `No model file at ${path}` : `Cannot read the model file ${path}: ${(e as Error).message}`);
  }
  return decodeModel(bytes, `model file ${path}`);
}

/** The default class names, for models of runs on the standard dataset. */
export const DEFAULT_CLASS_NAMES: readonly string[] = CIFAR_CLASS_NAMES;
