import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSavedHistory } from '../helpers/savedHistory';
import { canMount, canSwitchUser, inMountNamespace, NOBODY, READ_ONLY_BIND, workbenchAs, type CliResult } from '../helpers/restrictedCli';

const root = mkdtempSync(join(tmpdir(), 'cli-export-errors-'));
chmodSync(root, 0o755);
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  writeSavedHistory(home);
});

const exportTo = (out: string, ...extra: string[]): string[] => ['export', 'csv', '--experiment', '1', '--home', home, '--out', out, ...extra];

/** One clear line naming --out and what to do; exit 1; no stack trace. */
function expectClear(r: CliResult, out: string, problem: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain(`workbench: Cannot write the export (--out ${out}): `);
  expect(r.stderr).toMatch(problem);
  expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('workbench export to an --out that cannot be written', () => {
  it('a folder as --out (EISDIR)', async () => {
    const folder = join(root, 'a-folder');
    mkdirSync(folder);
    expectClear(await workbenchAs(exportTo(folder)), folder, new RegExp(`${folder} is a folder\\. Give a file name, for example --out ${join(folder, 'export.csv')}`));
  });

  it('a path under a folder that does not exist (ENOENT)', async () => {
    const out = join(root, 'missing', 'deeper', 'x.csv');
    expectClear(await workbenchAs(exportTo(out)), out, new RegExp(`the folder ${join(root, 'missing', 'deeper')} does not exist\\. Create it first`));
  });

  it('a path through a file (ENOTDIR)', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    const out = join(file, 'x.csv');
    expectClear(await workbenchAs(exportTo(out)), out, /is a file, not a folder/);
  });

  it('a full disk (ENOSPC on /dev/full)', async () => {
    expectClear(await workbenchAs(exportTo('/dev/full', '--force')), '/dev/full', /the disk holding \/dev\/full is full\. Free some space or choose another disk\. \(ENOSPC\)/);
  });

  it.skipIf(!canMount)('a full disk (ENOSPC on a real, full tmpfs): the half-written file is removed', async () => {
    const disk = join(root, 'small-disk');
    mkdirSync(disk);
    const out = join(disk, 'x.csv');
    // a 64 KiB disk filled up, then the export written to it: the file is created, its bytes do not fit
    const r = await inMountNamespace(
      'mount -t tmpfs -o size=64k tmpfs "$1" && (cat /dev/zero > "$1/fill" 2>/dev/null; true) && "$NODE" "$CLI" export csv --table epochs --experiment 1 --home "$2" --out "$1/x.csv"; code=$?; ls "$1"; exit $code',
      [disk, home],
    );
    expect(r.stdout.trim()).toBe('fill'); // listed inside the namespace: no x.csv left behind
    expectClear(r, out, /the disk holding .* is full\. Free some space or choose another disk\. \(ENOSPC\)/);
  });

  it.skipIf(!canMount)('a read-only location (EROFS, a read-only mount)', async () => {
    const dir = join(root, 'read-only');
    mkdirSync(dir);
    const out = join(dir, 'x.csv');
    const r = await inMountNamespace(`${READ_ONLY_BIND}exec "$NODE" "$CLI" "$@"`, [dir, ...exportTo(out)]);
    expectClear(r, out, /is on a read-only file system\. Choose a writable location\. \(EROFS\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('a folder this user may not write (EACCES)', async () => {
    const dir = join(root, 'not-mine');
    mkdirSync(dir);
    const out = join(dir, 'x.csv');
    let r: CliResult;
    if (canSwitchUser) r = await workbenchAs(exportTo(out), { uid: NOBODY });
    else {
      chmodSync(dir, 0o555);
      r = await workbenchAs(exportTo(out)).finally(() => chmodSync(dir, 0o755));
    }
    expectClear(r, out, /permission denied on .*\. Choose a location you can write to\. \(EACCES\)/);
    expect(existsSync(out)).toBe(false);
  });
});
