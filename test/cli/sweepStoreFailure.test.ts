import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { STORE_FAILURE_EXIT } from '../../src-main/cli/sweepCommand';
import { Store } from '../../src-main/store/store';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'cli-sweep-full-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));

describe('workbench sweep when the database can no longer be written', () => {
  it('prints what failed and what to do, exits with the documented code, and leaves the history intact', async () => {
    if (!PRLIMIT) throw new Error('prlimit not found: it is part of util-linux (apt-get install -y util-linux)');
    const home = join(root, 'home');
    const wb = openWorkbench(home, { workers: 1 });
    await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40)) });
    await wb.close();
    const db = join(home, 'workbench.sqlite');
    const spec = join(root, 'spec.json');
    writeFileSync(spec, JSON.stringify({ name: 'full', base: { epochs: 10000, hidden: [8] }, repeats: 2 }));

    // the sweep's process may not make any file bigger than this: the write-ahead log reaches it after some
    // epochs and the kernel refuses the write (EFBIG), which SQLite reports as SQLITE_IOERR_WRITE
    const limit = statSync(db).size + 256 * 1024;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(PRLIMIT, [`--fsize=${limit}`, process.execPath, 'scripts/workbench.mjs', 'sweep', spec, '--workers', '1', '--home', home], { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).toMatch(
      new RegExp(`workbench: The disk reported an I/O error \\(SQLITE_IOERR_WRITE\\) while writing the database ${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: epoch \\d+ of run 1 could not be saved\\. Run 1 was stopped`),
    );
    expect(result.stderr).toContain('The queue is paused. Check the disk, then resume the queue.');
    expect(result.code).toBe(STORE_FAILURE_EXIT);
    expect(STORE_FAILURE_EXIT).toBe(4);
    expect(result.stdout).toMatch(/Experiment 1 "full":/); // the summary was still read back

    // reopened without the limit: intact, every committed epoch counted, run 2 never started
    const store = new Store(db, 'test');
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const lease = (store.db.prepare('SELECT lease_until FROM runs WHERE id = 1').get() as { lease_until: number | null }).lease_until;
      // its interrupted state could not be written either: it reads so once the lease it held lapses
      if (lease !== null) while (Date.now() <= lease) await new Promise((r) => setTimeout(r, Math.max(1, lease + 1 - Date.now())));
      const run = store.getRun(1);
      expect(run.status).toBe('interrupted');
      expect(run.epochs.length).toBeGreaterThan(0);
      expect(run.epochsDone).toBe(run.epochs.length);
      expect(store.getRun(2).status).toBe('queued');
    } finally {
      store.close();
    }
  }, 180_000);
});
