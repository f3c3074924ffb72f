import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TrainConfig } from '../../../src-shared/config';
import { AppError } from '../../../src-shared/errors';
import type { EpochMetrics } from '../../../src-shared/metrics';
import type { TrainState } from '../../engine/trainState';
import { decodeSafetensors, encodeSafetensors, type EncodeScratch, type Tensor } from './safetensors';

export const CHECKPOINT_FORMAT = 'cifar-workbench-checkpoint';
/** 2: payload_sha256 covers the metadata too (1 covered the tensors only, so a flipped step count passed). */
const VERSION = '2';

/** A run's state after an epoch, with that epoch's metrics (so a crash before they were committed loses nothing). */
export interface Checkpoint {
  runId: number;
  state: TrainState;
  metrics: EpochMetrics;
  /** The kernel that trained up to here (a resume on another one is not bit-identical). */
  kernel: string;
  /** The training data's sha256 ('' when unknown). */
  datasetSha256: string;
}

/** Identifies the exact config (seed included) a checkpoint belongs to. */
export function configFingerprint(config: TrainConfig): string {
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

const HASH_KEY = 'payload_sha256';

/**
 * sha256 over everything in the file but itself: every metadata entry (sorted by key) and every
 * tensor's name, dtype, shape and bytes (sorted by name). A changed step count, shuffler state,
 * best epoch or metric is caught like a changed weight.
 */
function payloadHash(metadata: Record<string, string>, tensors: Record<string, Tensor>): string {
  const h = createHash('sha256');
  const meta = Object.keys(metadata).filter((k) => k !== HASH_KEY).sort().map((k) => [k, metadata[k]]);
  h.update(JSON.stringify(meta));
  for (const name of Object.keys(tensors).sort()) {
    const { dtype, shape, data } = tensors[name];
    h.update(JSON.stringify([name, dtype, shape])).update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  return h.digest('hex');
}

/** Metrics travel as JSON: NaN and ±Infinity become null. Only these may be null (the history stores them as NaN). */
const nullable = z.number().nullable().transform((v) => v ?? NaN);
const finite = z.number(); // zod refuses NaN and ±Infinity
const fraction = finite.min(0).max(1);
const metricsSchema = z.object({
  epoch: z.number().int().min(1),
  // a checkpoint is only written after an epoch whose training loss was finite (else the run diverged)
  trainLoss: finite,
  trainAccuracy: fraction,
  objective: nullable,
  testLoss: nullable,
  testAccuracy: fraction,
  learningRate: finite,
  seconds: finite.min(0),
  confusion: z.array(z.number().int().min(0)).length(100),
}).strict();
// the generator's words are 32-bit, read back with >>> 0 (signed or unsigned as the arithmetic left them)
const shufflerSchema = z.object({ s: z.array(z.number().int().min(-(2 ** 31)).max(2 ** 32 - 1)).length(4), spare: finite.nullable() }).strict();
const bestSchema = z.object({ epoch: z.number().int().min(1), testAccuracy: fraction }).strict().nullable();

/** What zod found wrong, in a few words: `confusion: Array must contain exactly 100 element(s)`. */
function issues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
}

/** Encodes a checkpoint as safetensors with a sha256 of all its content in the metadata. */
export function encodeCheckpoint(c: Checkpoint, config: TrainConfig, scratch?: EncodeScratch): Buffer {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(c.state.tensors)) tensors[name] = { dtype: t.data instanceof Float64Array ? 'F64' : 'F32', shape: t.shape, data: t.data };
  tensors.order = { dtype: 'I32', shape: [c.state.order.length], data: c.state.order };
  const metadata: Record<string, string> = {
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
    dataset_sha256: c.datasetSha256,
  };
  metadata[HASH_KEY] = payloadHash(metadata, tensors);
  return encodeSafetensors(tensors, metadata, scratch);
}

function parseJson<S extends z.ZodType>(text: string | undefined, schema: S, bad: (reason: string) => AppError, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw bad(`has unreadable ${what} (not JSON)`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw bad(`has invalid ${what}: ${issues(parsed.error)}`);
  return parsed.data;
}

/**
 * Decodes and checks a checkpoint of `runId` with `config`: format, run, config, the sha256 of its
 * metadata and tensors (a flipped bit anywhere is caught), the shapes of its shuffler state, best
 * epoch and metrics, and the batch order (a permutation of 0..n−1). Throws MODEL_INVALID saying what
 * is wrong.
 */
export function decodeCheckpoint(bytes: Uint8Array, what: string, runId: number, config: TrainConfig): Checkpoint {
  const { metadata, tensors } = decodeSafetensors(bytes, what);
  const bad = (reason: string): AppError => new AppError('MODEL_INVALID', `The ${what} ${reason}`);
  if (metadata.format !== CHECKPOINT_FORMAT) throw bad(`is not a workbench checkpoint (format '${metadata.format ?? 'none'}')`);
  if (metadata.format_version !== VERSION) throw bad(`has checkpoint format ${metadata.format_version}; this app reads ${VERSION}`);
  if (metadata[HASH_KEY] !== payloadHash(metadata, tensors)) throw bad('fails its sha256 check: its content was changed or damaged');
  if (metadata.run_id !== String(runId)) throw bad(`belongs to run ${metadata.run_id}, not run ${runId}`);
  if (metadata.config !== configFingerprint(config)) throw bad(`was written for another config than run ${runId}'s`);
  const order = tensors.order;
  if (!order || order.dtype !== 'I32' || order.shape.length !== 1) throw bad('has no batch order');
  const seen = new Uint8Array(order.data.length);
  for (const v of order.data) {
    if (!Number.isInteger(v) || v < 0 || v >= seen.length || seen[v]) throw bad('has a batch order that is not a permutation');
    seen[v] = 1;
  }
  const epoch = Number(metadata.epoch);
  const steps = Number(metadata.optimizer_steps);
  if (!/^\d+$/.test(metadata.epoch ?? '') || !Number.isSafeInteger(epoch) || epoch < 1) throw bad(`has an invalid epoch '${metadata.epoch}'`);
  if (!/^\d+$/.test(metadata.optimizer_steps ?? '') || !Number.isSafeInteger(steps)) throw bad(`has an invalid step count '${metadata.optimizer_steps}'`);
  const shuffler = parseJson(metadata.shuffler, shufflerSchema, bad, 'shuffler state');
  const best = parseJson(metadata.best, bestSchema, bad, 'best epoch');
  if (best && best.epoch > epoch) throw bad(`has an invalid best epoch ${best.epoch} after its epoch ${epoch}`);
  const metrics = parseJson(metadata.metrics, metricsSchema, bad, 'metrics');
  if (metrics.epoch !== epoch) throw bad(`is inconsistent: its metrics are of epoch ${metrics.epoch}, its state of epoch ${epoch}`);
  const stateTensors: TrainState['tensors'] = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name === 'order') continue;
    if (t.dtype === 'I32') throw bad(`has an integer tensor ${name}`);
    stateTensors[name] = { shape: t.shape, data: t.data as Float32Array | Float64Array };
  }
  return {
    runId,
    kernel: metadata.kernel ?? '',
    datasetSha256: metadata.dataset_sha256 ?? '',
    metrics,
    state: { epoch, tensors: stateTensors, optimizerSteps: steps, shuffler, order: order.data as Int32Array, best },
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
