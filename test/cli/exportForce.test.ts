import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'cli-export-force-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  // no dataset: the runs stay queued, which is enough to export the runs table
  const wb = openWorkbench(home, { workers: 1 });
  await wb.api.call('experiments/create', { spec: { name: 'overwrite', base: { epochs: 1, hidden: [4] }, repeats: 2 } });
  await wb.close();
});

async function workbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/workbench.mjs', ...args, '--home', home]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('workbench export --out an existing file', () => {
  it('refuses without --force, naming the file, and leaves it untouched', async () => {
    for (const format of ['csv', 'svg']) {
      const out = join(root, `precious.${format}`);
      writeFileSync(out, 'my own notes');
      const r = await workbench('export', format, '--experiment', '1', '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`workbench: ${out} already exists; nothing was written. Add --force to overwrite it, or choose another --out\n`);
      expect(readFileSync(out, 'utf8')).toBe('my own notes');
    }
  }, 180_000);

  it('overwrites with --force', async () => {
    const out = join(root, 'replace.csv');
    writeFileSync(out, 'old export');
    const r = await workbench('export', 'csv', '--experiment', '1', '--out', out, '--force');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Wrote ${out}\n`);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0].startsWith('run_id,experiment_id,status')).toBe(true);
    expect(lines.filter((l) => l.includes(',queued,'))).toHaveLength(2);
  }, 180_000);

  it('writes a new file without --force', async () => {
    const out = join(root, 'new.csv');
    const r = await workbench('export', 'csv', '--experiment', '1', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith('run_id,')).toBe(true);
  }, 180_000);
});
