import { accessSync, closeSync, constants, openSync, readSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

const sizeOf = (path: string): number | null => {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
};

/**
 * What is wrong with an existing database file, judged from its size and its 100-byte header
 * without SQLite (which would take a 0-byte file for a new, empty database and write a schema into
 * it); null when it looks sound. Only reads the file.
 */
export function fileDamage(path: string): string | null {
  const stat = statSync(path);
  if (stat.isDirectory()) return 'it is a folder, not a file';
  if (stat.size === 0) return 'it is empty (0 bytes)';
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (read < MAGIC.length || header.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'it is not an SQLite database (it does not start with "SQLite format 3")';
  if (read < HEADER_BYTES) return `it is truncated (${stat.size} bytes, shorter than an SQLite header)`;
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return `its header is damaged (page size ${rawPageSize})`;
  // the page count in the header is trustworthy when "version-valid-for" matches the change counter;
  // a write-ahead log with frames may legitimately hold pages beyond the end of the main file
  const pages = header.readUInt32BE(28);
  const countValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const expected = pages * pageSize;
  if (countValid && stat.size < expected && !walHasFrames(path)) return `it is truncated (${stat.size} bytes; its header says ${expected})`;
  return null;
}

const REASONS: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Why the database at `path` cannot be written to (its folder, which must take the -wal and -shm
 * files, or the file itself), or null when both are writable. Root passes this probe wherever the
 * file system itself is writable, as it can write there.
 */
export function notWritable(path: string): string | null {
  const probes: [string, string][] = [
    [dirname(path), 'the folder'],
    [path, 'the file'],
  ];
  for (const [target, label] of probes) {
    try {
      accessSync(target, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT' && target === path) continue;
      return `${label} ${target} cannot be written: ${REASONS[code] ?? code}`;
    }
  }
  return null;
}

/**
 * Whether the disk holding `path` has less than 1 MiB left for this user: what an I/O error there
 * (SQLite cannot even create its -shm file) most likely means.
 */
export function diskIsFull(path: string): boolean {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize < 1 << 20;
  } catch {
    return false;
  }
}

/** Whether the database's write-ahead log holds changes not yet merged into the main file. */
export function walHasFrames(path: string): boolean {
  return (sizeOf(`${path}-wal`) ?? 0) > 0;
}
