import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** Bytes to write as they are, or a run of `fill` bytes (default zeros) `length` long. */
export type BombPart = Uint8Array | { length: number; fill?: number };

const MIB = 1024 * 1024;
const blocks = new Map<number, Buffer>();

/** 1 MiB of one byte value, gzip-compressed once (about 1 KB) and reused. */
function compressedMiB(fill: number): Buffer {
  let b = blocks.get(fill);
  if (!b) blocks.set(fill, (b = gzipSync(Buffer.alloc(MIB, fill), { level: 9 })));
  return b;
}

/**
 * Writes a .gz file that decompresses to the parts in order, as a series of gzip members (gunzip
 * reads them as one stream). A long run costs one precompressed 1 MiB member per MiB, so a file that
 * expands to gigabytes is written in milliseconds and never held in memory; the crafted archives of
 * the bomb tests are built this way.
 */
export function writeGzipParts(path: string, parts: BombPart[]): string {
  const fd = openSync(path, 'w');
  try {
    for (const part of parts) {
      if (part instanceof Uint8Array) {
        writeSync(fd, gzipSync(part));
        continue;
      }
      const fill = part.fill ?? 0;
      for (let i = 0; i < Math.floor(part.length / MIB); i++) writeSync(fd, compressedMiB(fill));
      if (part.length % MIB) writeSync(fd, gzipSync(Buffer.alloc(part.length % MIB, fill)));
    }
  } finally {
    closeSync(fd);
  }
  return path;
}
