import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { cifarMembers, tarArchive } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'live-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
});

/** Runs `workbench data …` as its own process; resolves with its exit code and output. */
function workbench(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['scripts/workbench.mjs', 'data', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

const stagingFolders = (home: string): string[] => readdirSync(join(home, 'datasets')).filter((e) => e.startsWith('.staging-') && !e.endsWith('.owner'));

describe.skipIf(process.platform === 'win32')('an import running in one process and status asked in another', () => {
  it('status leaves the live import\'s staging folder alone and the import completes', async () => {
    const home = join(root, 'home');
    const archive = gzipSync(tarArchive(cifarMembers(20, 30)));
    // the importer reads its archive from a named pipe, so it stays mid-extraction until we feed the rest
    const fifo = join(root, 'archive.tar.gz');
    execFileSync('mkfifo', [fifo]);
    const importer = workbench(['import', fifo, '--home', home, '--json']);
    importer.done.then((r) => {
      // if the importer dies before opening the pipe, unblock our open() below so the test fails fast
      if (r.code !== 0) closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    }, () => undefined);

    // observed progress: our open for writing returns once the importer has opened the archive,
    // which it does after creating its staging folder
    const pipe = await open(fifo, 'w');
    await pipe.write(archive.subarray(0, 64 * 1024));
    expect(stagingFolders(home)).toHaveLength(1);
    const live = stagingFolders(home)[0];

    const status = await workbench(['status', '--home', home, '--json']).done;
    const reported = JSON.parse(status.stdout) as { state: string; detail: string | null };
    expect(reported.detail ?? '').not.toMatch(/removed an unfinished extraction/);
    expect(stagingFolders(home)).toEqual([live]);

    await pipe.write(archive.subarray(64 * 1024));
    await pipe.close();
    const imported = await importer.done;
    expect(imported.stderr).not.toMatch(/ENOENT|Error/);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ state: 'ready', train: { records: 100 }, test: { records: 30 } });

    // nothing left behind: no staging folder, no owner file; the cache verifies
    expect(readdirSync(join(home, 'datasets'))).toEqual(['cifar-10']);
    const m = new DatasetManager(home);
    expect((await m.status()).detail).toBeNull();
    expect((await m.verify()).ok).toBe(true);
    expect(readFileSync(join(home, 'datasets', 'cifar-10', 'manifest.json'), 'utf8')).toMatch(/import-archive/);
  });
});
