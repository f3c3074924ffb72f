import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src-main/store/database';
import { Store } from '../../src-main/store/store';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'cli-series-stats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workbench export csv --table series', () => {
  it('gives three identical values a std, SE and CI width of exactly 0, and their own value as mean', async () => {
    const home = join(root, 'home');
    mkdirSync(home);
    const store = new Store(join(home, DB_FILE), 'test');
    // every seed of a group reaches the same accuracy at each epoch; (0.1 + 0.1 + 0.1) / 3 is not 0.1 in floating point
    writeFinishedRuns(store, { name: 'identical', learningRates: [0.05, 0.2], repeats: 3, epochs: 2, accuracy: (_, group, epoch) => [0.1, 0.4321][group] + 0.1 * (epoch - 1) });
    store.close();
    const out = join(root, 'series.csv');
    await run(process.execPath, ['scripts/workbench.mjs', 'export', 'csv', '--experiment', '1', '--table', 'series', '--out', out, '--home', home]);
    const rows = readFileSync(out, 'utf8').trim().split('\r\n').map((l) => l.split(','));
    const col = (name: string): number => rows[0].indexOf(name);
    expect(rows).toHaveLength(5);
    for (const r of rows.slice(1)) {
      expect(r[col('n')]).toBe('3');
      expect(r[col('std')]).toBe('0');
      expect(r[col('se')]).toBe('0');
      expect(r[col('ci95_low')]).toBe(r[col('mean')]);
      expect(r[col('ci95_high')]).toBe(r[col('mean')]);
    }
    expect(rows.slice(1).map((r) => r[col('mean')])).toEqual(['0.1', String(0.1 + 0.1), '0.4321', String(0.4321 + 0.1)]);
  });
});
