import { AppError } from '../../../src-shared/errors';

/** The element types this app writes and reads (safetensors names). */
export type TensorDtype = 'F32' | 'F64' | 'I32';

/** One named tensor: row-major data and its shape. */
export interface Tensor {
  dtype: TensorDtype;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array;
}

const BYTES: Record<TensorDtype, number> = { F32: 4, F64: 8, I32: 4 };
/** Headers above this size are refused before parsing (ours are a few kilobytes). */
const MAX_HEADER = 16 * 1024 * 1024;

/**
 * Encodes tensors in the safetensors layout (8-byte little-endian header length, a JSON header with
 * `__metadata__` and each tensor's dtype, shape and byte range, then the little-endian data), the
 * format PyTorch, Hugging Face and numpy tools read without running any code from the file.
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string>, scratch?: EncodeScratch): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    const bytes = t.data.length * BYTES[t.dtype];
    if (t.shape.reduce((a, b) => a * b, 1) !== t.data.length) throw new AppError('INTERNAL', `Tensor ${name}: shape [${t.shape}] does not hold ${t.data.length} values`);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // the data starts 8-byte aligned, as the reference implementation writes it
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const size = 8 + headerBytes.length + offset;
  let out: Buffer;
  if (scratch) {
    if (!scratch.buffer || scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.ceil(size * 1.1));
    out = scratch.buffer.subarray(0, size);
  } else out = Buffer.allocUnsafe(size);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors[name].data;
    // typed arrays are little-endian on every platform Node runs on that this app supports
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(out, at);
    at += d.byteLength;
  }
  return out;
}

/**
 * A buffer kept between encodings of same-sized files (a run's checkpoint every epoch): reusing it
 * avoids the page faults of fresh memory, which cost milliseconds per megabyte on some machines. The
 * returned Buffer is a view of it, valid until the next encoding.
 */
export interface EncodeScratch {
  buffer: Buffer | null;
}

/** A decoded file: its metadata and tensors (copies, aligned, independent of the input buffer). */
export interface Safetensors {
  metadata: Record<string, string>;
  tensors: Record<string, Tensor>;
}

/**
 * Decodes and checks a safetensors buffer: header length and JSON, every tensor's dtype, shape and
 * byte range, ranges that neither overlap nor leave gaps nor run past the end. `what` names the file
 * in the error, e.g. "checkpoint /home/…/7.ckpt".
 */
export function decodeSafetensors(buf: Uint8Array, what: string): Safetensors {
  const bad = (reason: string): AppError => new AppError('MODEL_INVALID', `The ${what} is not a valid safetensors file: ${reason}`);
  if (buf.length < 8) throw bad(`it has ${buf.length} bytes, fewer than the 8-byte header length (truncated or empty)`);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLength = view.readBigUInt64LE(0);
  if (headerLength > BigInt(Math.min(MAX_HEADER, buf.length - 8))) throw bad(`its header claims ${headerLength} bytes but the file has ${buf.length} (truncated, or not safetensors)`);
  const n = Number(headerLength);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(view.toString('utf8', 8, 8 + n)) as Record<string, unknown>;
  } catch {
    throw bad('its header is not JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw bad('its header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = buf.length - dataStart;
  const metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  const tensors: Record<string, Tensor> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw bad('__metadata__ is not an object');
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw bad(`metadata '${k}' is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e?.dtype as TensorDtype;
    if (!Object.hasOwn(BYTES, dtype)) throw bad(`tensor '${name}' has dtype ${JSON.stringify(e?.dtype)}; this app reads F32, F64 and I32`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`tensor '${name}' has an invalid shape`);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw bad(`tensor '${name}' has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end - begin !== count * BYTES[dtype]) throw bad(`tensor '${name}' has ${end - begin} bytes for shape [${shape}] of ${dtype}`);
    if (end > dataLength) throw bad(`tensor '${name}' ends at byte ${end} of a ${dataLength}-byte data section (truncated)`);
    ranges.push([begin, end, name]);
    const copy = new Uint8Array(end - begin);
    copy.set(buf.subarray(dataStart + begin, dataStart + end));
    const data = dtype === 'F32' ? new Float32Array(copy.buffer) : dtype === 'F64' ? new Float64Array(copy.buffer) : new Int32Array(copy.buffer);
    tensors[name] = { dtype, shape: shape as number[], data };
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== at) throw bad(`tensor '${name}' starts at byte ${begin}, expected ${at} (overlap or gap)`);
    at = end;
  }
  if (at !== dataLength) throw bad(`${dataLength - at} bytes follow the last tensor`);
  return { metadata, tensors };
}
