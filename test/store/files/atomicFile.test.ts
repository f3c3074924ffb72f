import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomicAsync } from '../../../src-main/store/files/atomicFile';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** Counts fsync calls made through a FileHandle (what writeFileAtomicAsync uses). */
async function fsyncSpy(dir: string) {
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
  await probe.close();
  rmSync(join(dir, 'probe'));
  return vi.spyOn(proto, 'sync');
}

describe('atomic file writes on the thread pool', () => {
  it('replace the file whole, keep one previous generation, and fsync the file and its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    dirs.push(dir);
    const sync = await fsyncSpy(dir);
    const path = join(dir, 'a.ckpt');
    await writeFileAtomicAsync(path, Buffer.from('one'), join(dir, 'a.prev.ckpt'));
    await writeFileAtomicAsync(path, Buffer.from('two'), join(dir, 'a.prev.ckpt'));
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readFileSync(join(dir, 'a.prev.ckpt'), 'utf8')).toBe('one');
    expect(readdirSync(dir).sort()).toEqual(['a.ckpt', 'a.prev.ckpt']);
    expect(sync).toHaveBeenCalledTimes(4); // each write: the file, then the folder
  });

  it('with sync: false (a Redis worker\'s staging copy) do the same without a single fsync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    dirs.push(dir);
    const sync = await fsyncSpy(dir);
    const path = join(dir, 'b.ckpt');
    await writeFileAtomicAsync(path, Buffer.from('one'), join(dir, 'b.prev.ckpt'), { sync: false });
    await writeFileAtomicAsync(path, Buffer.from('two'), join(dir, 'b.prev.ckpt'), { sync: false });
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readFileSync(join(dir, 'b.prev.ckpt'), 'utf8')).toBe('one');
    expect(readdirSync(dir).sort()).toEqual(['b.ckpt', 'b.prev.ckpt']);
    expect(sync).not.toHaveBeenCalled();
  });
});
