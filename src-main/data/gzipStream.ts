import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../src-shared/errors';

/**
 * Streams the decompressed bytes of a .gz file. `onRaw` sees every compressed chunk first (for
 * checksums and progress). zlib's errors become messages that name the file.
 */
export async function* gunzipFile(path: string, onRaw?: (chunk: Buffer) => void, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip();
  const input = createReadStream(path, { highWaterMark: 1 << 20, signal });
  input.on('error', (e) => gunzip.destroy(e));
  if (onRaw) input.on('data', (c) => onRaw(c as Buffer));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.name === 'AbortError') throw new AppError('CANCELLED', 'Cancelled');
    if (err.code === 'Z_DATA_ERROR') throw new AppError('DATASET_INVALID', `${basename(path)}: not a gzip file or corrupt gzip data`, { cause: e });
    if (err.code === 'Z_BUF_ERROR') throw new AppError('DATASET_INVALID', `${basename(path)}: archive is truncated (gzip stream ended early)`, { cause: e });
    throw e;
  } finally {
    input.destroy();
  }
}
