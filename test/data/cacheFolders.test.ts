import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheFolders } from '../../src-main/data/cacheFolders';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { currentOwner, type ProcessOwner } from '../../src-main/data/processOwner';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'cache-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const hasProc = existsSync('/proc/self/stat');

/** A home whose datasets folder holds a staging folder `.staging-<id>` and, if given, its owner file. */
function homeWithStaging(owner: ProcessOwner | string | null, home = join(root, `home${n++}`), id = 'abc123'): { home: string; staging: string; ownerFile: string } {
  const staging = join(home, 'datasets', `.staging-${id}`);
  mkdirSync(join(staging, 'cifar-10-batches-bin'), { recursive: true });
  writeFileSync(join(staging, 'cifar-10-batches-bin', 'data_batch_1.bin'), new Uint8Array(3073));
  const ownerFile = `${staging}.owner`;
  if (owner !== null) writeFileSync(ownerFile, typeof owner === 'string' ? owner : JSON.stringify(owner));
  return { home, staging, ownerFile };
}

/** A real process that printed its owner record and runs until `stop()`; `exited` after that. */
async function foreignProcess(): Promise<{ owner: ProcessOwner; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/ownerChild.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const owner = await new Promise<ProcessOwner>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(JSON.parse(out) as ProcessOwner);
    });
    child.on('exit', (code) => reject(new Error(`owner child exited early (${code})`)));
  });
  return { owner, stop: async () => void (child.stdin.end(), await exited) };
}

describe('start-up recovery removes only staging folders whose owner is provably gone', () => {
  it('keeps a foreign live owner\'s folder, and removes it once that process has exited', async () => {
    const proc = await foreignProcess();
    const { home, staging, ownerFile } = homeWithStaging(proc.owner);
    expect(await new CacheFolders(home).recover()).toEqual([]);
    expect(existsSync(staging) && existsSync(ownerFile)).toBe(true);
    await proc.stop();
    const status = await new DatasetManager(home).status();
    expect(status.detail).toMatch(/removed an unfinished extraction left by an interrupted run \(\.staging-abc123\)/);
    expect(readdirSync(join(home, 'datasets'))).toEqual([]);
  });

  it('keeps the folder of a second manager in this same process', async () => {
    const { home, staging } = homeWithStaging(await currentOwner());
    expect((await new DatasetManager(home).status()).detail).toBeNull();
    expect(existsSync(staging)).toBe(true);
  });

  it.skipIf(!hasProc)('removes it when the pid now belongs to a process that started at another time (pid reuse)', async () => {
    const me = await currentOwner();
    const { home, staging } = homeWithStaging({ ...me, startTicks: String(Number(me.startTicks) + 1) });
    expect(await new CacheFolders(home).recover()).toEqual(['.staging-abc123']);
    expect(existsSync(staging)).toBe(false);
  });

  it.skipIf(!hasProc)('removes it when its owner ran before the last reboot', async () => {
    const { home, staging } = homeWithStaging({ ...(await currentOwner()), bootId: 'another-boot' });
    expect(await new CacheFolders(home).recover()).toEqual(['.staging-abc123']);
    expect(existsSync(staging)).toBe(false);
  });

  it('keeps it when the owner is on another host or the owner file is half-written', async () => {
    for (const owner of [{ ...(await currentOwner()), pid: 999_999_999, host: 'another-host' }, '{"pid": 12']) {
      const { home, staging, ownerFile } = homeWithStaging(owner);
      expect(await new CacheFolders(home).recover()).toEqual([]);
      expect(existsSync(staging) && existsSync(ownerFile)).toBe(true);
    }
  });

  it('removes a staging folder without an owner file (left by an older version)', async () => {
    const { home, staging } = homeWithStaging(null);
    expect(await new CacheFolders(home).recover()).toEqual(['.staging-abc123']);
    expect(existsSync(staging)).toBe(false);
  });

  it('puts the previous cache back when a dead owner was replacing it, and leaves a live owner\'s replacement alone', async () => {
    const home = join(root, `home${n++}`);
    await new DatasetManager(home).import(writeCifarTarGz(join(root, 'small.tar.gz'), cifarMembers(2, 2)));
    // the owner has moved the cache aside and not yet renamed its staging folder into place
    const proc = await foreignProcess();
    const folders = new CacheFolders(home);
    renameSync(folders.final, join(folders.datasets, '.old-abc123'));
    homeWithStaging(proc.owner, home);
    expect(await folders.recover()).toEqual([]);
    expect(readdirSync(folders.datasets).sort()).toEqual(['.old-abc123', '.staging-abc123', '.staging-abc123.owner']);
    await proc.stop();
    const m = new DatasetManager(home);
    expect(await m.status()).toMatchObject({ state: 'ready', detail: expect.stringMatching(/\.staging-abc123/) });
    expect(readdirSync(folders.datasets)).toEqual(['cifar-10']);
    expect((await m.verify()).ok).toBe(true);
  });
});
