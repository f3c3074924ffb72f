import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'cli-export-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const wb = openWorkbench(home, { workers: 2 });
  await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40)) });
  await wb.api.call('experiments/create', { spec: { name: 'export, "quoted"', base: { epochs: 3, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.05, 0.2] }], repeats: 3 } });
  await wb.runner.whenIdle();
  await wb.close();
});

/** Parses a CSV with Python's csv module: an independent reader, as pandas or a spreadsheet would be. */
function parseWithPython(path: string): Record<string, string>[] {
  const out = execFileSync('python3', ['-c', 'import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))', path], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, string>[];
}

describe('workbench export csv', () => {
  it('writes runs, epochs and series that a CSV library reads back to the same numbers', async () => {
    for (const table of ['runs', 'epochs', 'series']) {
      await run(process.execPath, ['scripts/workbench.mjs', 'export', 'csv', '--experiment', '1', '--table', table, '--out', join(root, `${table}.csv`), '--home', home]);
    }
    const runs = parseWithPython(join(root, 'runs.csv'));
    const epochs = parseWithPython(join(root, 'epochs.csv'));
    const series = parseWithPython(join(root, 'series.csv'));
    expect(runs).toHaveLength(6);
    expect(runs[0]).toMatchObject({ run_id: '1', status: 'finished', learningRate: '0.05', hidden: '8', seed: '0', kernel: 'auto' });
    expect(epochs).toHaveLength(18);
    expect(readFileSync(join(root, 'runs.csv'), 'utf8').split('\r\n')[0].startsWith('run_id,experiment_id,status')).toBe(true);

    // recompute the series from the epochs export and compare: mean and sample std per lr and epoch
    const lrOf = new Map(runs.map((r) => [r.run_id, r.learningRate]));
    for (const point of series) {
      // the group reads as the user sees it; the value it stands for has a column of its own
      const lr = point.learningRate;
      expect(point.group).toBe(`γ ${lr}`);
      const values = epochs.filter((e) => lrOf.get(e.run_id) === lr && e.epoch === point.epoch).map((e) => Number(e.test_accuracy));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      expect(Number(point.n)).toBe(3);
      expect(Number(point.mean)).toBeCloseTo(mean, 12);
      expect(Number(point.std)).toBeCloseTo(std, 12);
      expect(Number(point.ci95_low)).toBeLessThanOrEqual(Number(point.mean));
    }
    expect(series).toHaveLength(6);
  });

  it('svg: one curve and one band per group, labelled with n', async () => {
    const out = join(root, 'chart.svg');
    await run(process.execPath, ['scripts/workbench.mjs', 'export', 'svg', '--experiment', '1', '--band', 'ci95', '--out', out, '--home', home]);
    const svg = readFileSync(out, 'utf8');
    expect(svg.match(/<path class="curve"/g)).toHaveLength(2);
    expect(svg.match(/<path class="band"/g)).toHaveLength(2);
    expect(svg).toContain('γ 0.05 (n=3)');
    expect(svg).toContain('export, &quot;quoted&quot;: test accuracy, mean 95 % CI');
  });

  it('refuses a bad table, metric or experiment clearly', async () => {
    const fail = async (...args: string[]) => {
      try {
        await run(process.execPath, ['scripts/workbench.mjs', 'export', ...args, '--home', home]);
        return '';
      } catch (e) {
        return (e as { stderr: string }).stderr;
      }
    };
    expect(await fail('csv', '--experiment', '1', '--table', 'nope')).toMatch(/--table must be runs, epochs or series/);
    expect(await fail('csv', '--experiment', '1', '--table', 'series', '--metric', 'accuracy')).toMatch(/--metric must be one of/);
    expect(await fail('csv', '--experiment', '99')).toMatch(/No experiment 99/);
    expect(await fail('gif', '--experiment', '1')).toMatch(/export needs a format: csv, svg or png/);
    expect(await fail('svg', '--experiment', '1', '--band', 'iqr')).toMatch(/--band must be std, se, ci95 or minmax/);
  });
});
