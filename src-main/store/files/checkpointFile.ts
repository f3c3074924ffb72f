import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TrainConfig } from '../../../src-shared/config';
import { AppError } from '../../../src-shared/errors';
import type { EpochMetrics } from '../../../src-shared/metrics';
import type { TrainState } from '../../engine/trainState';
import { decodeSafetensors, encodeSafetensors, type EncodeScratch, type Tensor } from './safetensors';

export const CHECKPOINT_FORMAT = 'cifar-workbench-checkpoint';
const VERSION = '1';

/** A run's state after an epoch, with that epoch's metrics (so a crash before they were committed loses nothing). */
export interface Checkpoint {
  runId: number;
  state: TrainState;
  metrics: EpochMetrics;
  kernel: string;
}

/** Identifies the exact config (seed included) a checkpoint belongs to. */
export function configFingerprint(config: TrainConfig): string {
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

function payloadHash(tensors: Record<string, Tensor>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(tensors).sort()) {
    const d = tensors[name].data;
    h.update(name).update(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  }
  return h.digest('hex');
}

/** Encodes a checkpoint as safetensors with a sha256 of its tensors in the metadata. */
export function encodeCheckpoint(c: Checkpoint, config: TrainConfig, scratch?: EncodeScratch): Buffer {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(c.state.tensors)) tensors[name] = { dtype: t.data instanceof Float64Array ? 'F64' : 'F32', shape: t.shape, data: t.data };
  tensors.order = { dtype: 'I32', shape: [c.state.order.length], data: c.state.order };
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    format_version: VERSION,
    run_id: String(c.runId),
    config: configFingerprint(config),
    epoch: String(c.state.epoch),
    optimizer_steps: String(c.state.optimizerSteps),
    shuffler: JSON.stringify(c.state.shuffler),
    best: JSON.stringify(c.state.best),
    metrics: JSON.stringify(c.metrics),
    kernel: c.kernel,
    payload_sha256: payloadHash(tensors),
  }, scratch);
}

/**
 * Decodes and checks a checkpoint of `runId` with `config`: format, run, config, the tensors'
 * sha256 (a flipped bit is caught) and the batch order (a permutation of 0..n−1). Throws
 * MODEL_INVALID saying what is wrong.
 */
export function decodeCheckpoint(bytes: Uint8Array, what: string, runId: number, config: TrainConfig): Checkpoint {
  const { metadata, tensors } = decodeSafetensors(bytes, what);
  const bad = (reason: string): AppError => new AppError('MODEL_INVALID', `The ${what} ${reason}`);
  if (metadata.format !== CHECKPOINT_FORMAT) throw bad(`is not a workbench checkpoint (format '${metadata.format ?? 'none'}')`);
  if (metadata.format_version !== VERSION) throw bad(`has checkpoint format ${metadata.format_version}; this app reads ${VERSION}`);
  if (metadata.run_id !== String(runId)) throw bad(`belongs to run ${metadata.run_id}, not run ${runId}`);
  if (metadata.config !== configFingerprint(config)) throw bad(`was written for another config than run ${runId}'s`);
  if (metadata.payload_sha256 !== payloadHash(tensors)) throw bad('fails its sha256 check: its tensors were changed or damaged');
  const order = tensors.order;
  if (!order || order.dtype !== 'I32') throw bad('has no batch order');
  const seen = new Uint8Array(order.data.length);
  for (const v of order.data) {
    if (!Number.isInteger(v) || v < 0 || v >= seen.length || seen[v]) throw bad('has a batch order that is not a permutation');
    seen[v] = 1;
  }
  let parsed: { shuffler: TrainState['shuffler']; best: TrainState['best']; metrics: EpochMetrics };
  try {
    parsed = { shuffler: JSON.parse(metadata.shuffler), best: JSON.parse(metadata.best), metrics: JSON.parse(metadata.metrics) };
  } catch {
    throw bad('has unreadable metadata');
  }
  const epoch = Number(metadata.epoch);
  const steps = Number(metadata.optimizer_steps);
  if (!Number.isSafeInteger(epoch) || epoch < 1 || !Number.isSafeInteger(steps) || steps < 0) throw bad('has an invalid epoch or step count');
  if (!Array.isArray(parsed.shuffler?.s) || parsed.shuffler.s.length !== 4 || parsed.metrics?.epoch !== epoch) throw bad('has inconsistent metadata');
  const stateTensors: TrainState['tensors'] = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name === 'order') continue;
    if (t.dtype === 'I32') throw bad(`has an integer tensor ${name}`);
    stateTensors[name] = { shape: t.shape, data: t.data as Float32Array | Float64Array };
  }
  // metrics travel as JSON: NaN and ±Infinity became null, and only a diverged epoch has them (never checkpointed)
  return {
    runId,
    kernel: metadata.kernel ?? '',
    metrics: parsed.metrics,
    state: { epoch, tensors: stateTensors, optimizerSteps: steps, shuffler: parsed.shuffler, order: order.data as Int32Array, best: parsed.best },
  };
}

/** Reads and checks one checkpoint file (see decodeCheckpoint). */
export function readCheckpointFile(path: string, runId: number, config: TrainConfig): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new AppError('IO', `Cannot read the checkpoint ${path}: ${(e as Error).message}`);
  }
  return decodeCheckpoint(bytes, `checkpoint ${path}`, runId, config);
}
