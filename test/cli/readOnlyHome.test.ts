import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSavedHistory } from '../helpers/savedHistory';
import { canMount, canSwitchUser, inMountNamespace, NOBODY, READ_ONLY_BIND, workbenchAs, type CliResult } from '../helpers/restrictedCli';

const root = mkdtempSync(join(tmpdir(), 'cli-read-only-'));
chmodSync(root, 0o755); // readable by the unprivileged user below
const original = join(root, 'original');
const out = join(root, 'out');
const spec = join(root, 'spec.json');
let baseline: { series: string; svg: string };
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  writeSavedHistory(original);
  mkdirSync(out);
  chmodSync(out, 0o777); // the exports go here, written by whichever user runs the command
  writeFileSync(spec, JSON.stringify({ name: 'new', base: { epochs: 1, hidden: [8] } }));
  chmodSync(spec, 0o644);
  // what the same exports hold from a writable copy of the home
  const writable = join(root, 'writable');
  cpSync(original, writable, { recursive: true });
  for (const args of [['csv', '--table', 'series'], ['svg']]) {
    const r = await workbenchAs(['export', ...args, '--experiment', '1', '--home', writable, '--out', join(out, `baseline.${args[0]}`)]);
    expect(r.stderr).toContain('Wrote');
  }
  baseline = { series: readFileSync(join(out, 'baseline.csv'), 'utf8'), svg: readFileSync(join(out, 'baseline.svg'), 'utf8') };
});

/**
 * The ways a home is read-only. As root, chmod -w stops nothing, so: a read-only bind mount of the
 * home (EROFS, seen by that process only) and the same commands run as an unprivileged user over a
 * root-owned home (EACCES); not as root, chmod -w itself. WORKBENCH_READONLY=1 asks for read-only
 * opening on a writable home: the simulation the forced probe gives where none of these is possible.
 */
const WAYS: { name: string; available: boolean; real: boolean; run: (home: string, args: string[]) => Promise<CliResult> }[] = [
  { name: 'a read-only mount (EROFS)', available: canMount, real: true, run: (home, args) => inMountNamespace(`${READ_ONLY_BIND}exec "$NODE" "$CLI" "$@"`, [home, ...args, '--home', home]) },
  {
    name: 'a folder this user may not write (EACCES)',
    available: true,
    real: true,
    run: (home, args) => {
      if (canSwitchUser) return workbenchAs([...args, '--home', home], { uid: NOBODY });
      chmodSync(home, 0o555);
      return workbenchAs([...args, '--home', home]).finally(() => chmodSync(home, 0o755));
    },
  },
  { name: 'WORKBENCH_READONLY=1 (simulated)', available: true, real: false, run: (home, args) => workbenchAs([...args, '--home', home], { env: { WORKBENCH_READONLY: '1' } }) },
];

for (const [i, way] of WAYS.entries()) {
  describe.skipIf(!way.available)(`a read-only home: ${way.name}`, () => {
    const home = join(root, `home-${i}`);
    const db = join(home, 'workbench.sqlite');
    let bytes: Buffer;
    beforeAll(() => {
      cpSync(original, home, { recursive: true });
      bytes = readFileSync(db);
    });

    it('lists the experiments and runs and shows a run', async () => {
      const experiments = await way.run(home, ['experiments', 'list']);
      expect(experiments).toMatchObject({ code: 0, stderr: '' });
      expect(experiments.stdout).toMatch(/1 +saved .*4 runs \(4 finished\)/);
      expect(experiments.stdout).toMatch(/2 +waiting .*1 runs \(1 queued\)/);
      const runs = await way.run(home, ['runs', 'list', '--experiment', '1']);
      expect(runs.code).toBe(0);
      expect(runs.stdout.trim().split('\n')).toHaveLength(4);
      const show = await way.run(home, ['runs', 'show', '3']);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/epoch +train loss/);
      expect(show.stdout.match(/^ +[123] +\d+\.\d{4} /gm)).toHaveLength(3);
    });

    it('exports (compare: the series and the chart) exactly as from a writable home', async () => {
      const csv = join(out, `series-${i}.csv`);
      const svg = join(out, `chart-${i}.svg`);
      expect((await way.run(home, ['export', 'csv', '--table', 'series', '--experiment', '1', '--out', csv])).code).toBe(0);
      expect((await way.run(home, ['export', 'svg', '--experiment', '1', '--out', svg])).code).toBe(0);
      expect(readFileSync(csv, 'utf8')).toBe(baseline.series);
      expect(readFileSync(svg, 'utf8')).toBe(baseline.svg);
    });

    it('a write says plainly that the database is read-only, with the path and what to do', async () => {
      const r = await way.run(home, ['sweep', spec]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`Cannot save changes: the experiment database ${db} is open read-only`);
      expect(r.stderr).toContain(way.real ? 'cannot be written' : 'read-only was asked for');
      expect(r.stderr).toMatch(/make .* writable, or copy that folder somewhere writable/);
      expect(r.stderr).not.toMatch(/SqliteError|\n\s+at /);
    });

    it('leaves the database byte-identical', () => {
      expect(readFileSync(db).equals(bytes)).toBe(true);
      if (way.real) expect(readdirSync(home)).toEqual(['workbench.sqlite']);
    });
  });
}
