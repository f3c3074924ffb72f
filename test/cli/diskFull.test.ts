import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSavedHistory } from '../helpers/savedHistory';
import { canMount, inMountNamespace, type CliResult } from '../helpers/restrictedCli';

const root = mkdtempSync(join(tmpdir(), 'cli-disk-full-'));
const original = join(root, 'original');
const disk = join(root, 'disk');
const spec = join(root, 'spec.json');
let bytes: Buffer;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  bytes = readFileSync(writeSavedHistory(original));
  mkdirSync(disk);
  // 500 runs: far more than the space left for the database to grow into
  writeFileSync(spec, JSON.stringify({ name: 'too big', base: { epochs: 1, hidden: [8] }, repeats: 500 }));
});

/**
 * Runs `workbench …args --home <disk>/home` on a real 1 MiB disk (a tmpfs in a private mount
 * namespace) holding a copy of the saved history (or no home, if `copy` is false) and filled up to
 * `leaveKiB`; afterwards the database is copied out to <root>/after-<tag>.sqlite to be compared.
 */
function onFullDisk(tag: string, leaveKiB: number, args: string[], copy = true): Promise<CliResult> {
  const script = [
    'disk=$1; src=$2; leave=$3; after=$4; copy=$5; shift 5',
    'mount -t tmpfs -o size=1m tmpfs "$disk" || exit 99',
    'if [ "$copy" = 1 ]; then cp -r "$src" "$disk/home"; fi',
    'avail=$(df -k --output=avail "$disk" | tail -1)',
    'if [ "$avail" -gt "$leave" ]; then head -c $(( (avail - leave) * 1024 )) /dev/zero > "$disk/fill"; fi',
    '"$NODE" "$CLI" "$@" --home "$disk/home"; code=$?',
    'if [ "$copy" = 1 ]; then cp "$disk/home/workbench.sqlite" "$after"; fi',
    'exit $code',
  ].join('\n');
  return inMountNamespace(script, [disk, original, String(leaveKiB), join(root, `after-${tag}.sqlite`), copy ? '1' : '0', ...args]);
}

const noStack = (r: CliResult): void => expect(r.stderr).not.toMatch(/unexpected error|SqliteError|\n\s+at /);

describe.skipIf(!canMount)('the database on a full disk (a real tmpfs)', () => {
  it('no room at all: the history is still listed; a write says the disk is full and the database read-only', async () => {
    const list = await onFullDisk('list', 0, ['experiments', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/saved .*4 runs \(4 finished\)/);
    const sweep = await onFullDisk('sweep0', 0, ['sweep', spec]);
    expect(sweep.code).not.toBe(0);
    expect(sweep.stderr).toContain(`the experiment database ${join(disk, 'home', 'workbench.sqlite')} is open read-only (the disk holding it is full)`);
    expect(sweep.stderr).toContain('free some space on that disk');
    noStack(sweep);
    expect(readFileSync(join(root, 'after-sweep0.sqlite')).equals(bytes)).toBe(true);
  });

  it('room to open but not to save: the write fails with the path and what to do, and nothing is half-saved', async () => {
    const sweep = await onFullDisk('sweep100', 100, ['sweep', spec]);
    expect(sweep.code).not.toBe(0);
    expect(sweep.stderr).toContain(`The disk holding the experiment database ${join(disk, 'home', 'workbench.sqlite')} is full: the request failed and nothing was changed`);
    expect(sweep.stderr).toContain('Free some space and try again');
    noStack(sweep);
    expect(readFileSync(join(root, 'after-sweep100.sqlite')).equals(bytes)).toBe(true);
  });

  it('a new home on a full disk: no database can be created, said with the path', async () => {
    const r = await onFullDisk('fresh', 0, ['experiments', 'list'], false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`There is no experiment database at ${join(disk, 'home', 'workbench.sqlite')} and none can be created there (the disk is full)`);
    noStack(r);
  });
});
