import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DatasetProgress } from '../../src-shared/dataset';
import { RateMeter } from './rateMeter';

/** MD5 and sha256 of a file in one streaming pass. */
export async function fileDigests(path: string, onProgress?: (p: DatasetProgress) => void, total: number | null = null, signal?: AbortSignal): Promise<{ md5: string; sha256: string; bytes: number }> {
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  const meter = new RateMeter('checksum', total, onProgress);
  let bytes = 0;
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) {
    md5.update(chunk as Buffer);
    sha.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    meter.update(bytes);
  }
  meter.update(bytes, true);
  return { md5: md5.digest('hex'), sha256: sha.digest('hex'), bytes };
}
