import { closeSync, existsSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Flushes a folder's entry list, so a rename in it survives a power loss (a no-op where unsupported). */
function syncFolder(folder: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; its renames are journaled by NTFS
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content, never a
 * mix: the bytes go to a temporary file beside it, which is fsynced and renamed over the target.
 * With `previous`, the old file is first renamed there (one generation kept). `sync: false`: see
 * writeFileAtomicAsync.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, previous?: string, { sync = true } = {}): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    if (sync) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  closeSync(fd);
  if (previous && existsSync(path)) renameSync(path, previous);
  renameSync(tmp, path);
  if (sync) syncFolder(dirname(path));
}

/**
 * writeFileAtomic on the thread pool: the training thread only starts it, and learns when the file
 * is durable (or why it is not). `bytes` must stay unchanged until the promise settles. With
 * `sync: false` nothing is fsynced: the file is whole or absent for every reader on this machine, but
 * a power loss may take it (for copies whose durable one lives elsewhere, e.g. in Redis).
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array, previous?: string, { sync = true } = {}): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    let at = 0;
    while (at < bytes.length) at += (await fh.write(bytes, at, bytes.length - at)).bytesWritten;
    if (sync) await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  if (previous && existsSync(path)) await rename(path, previous);
  await rename(tmp, path);
  if (!sync) return;
  let dir;
  try {
    dir = await open(dirname(path), 'r');
    await dir.sync();
  } catch {
    // see syncFolder
  } finally {
    await dir?.close();
  }
}
