import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src-main/store/database';
import { Store } from '../../src-main/store/store';
import { MIN_PLOT_HEIGHT } from '../../src-shared/svgChart';
import { writeFinishedRuns } from '../helpers/finishedRuns';
import { svgGeometry } from '../helpers/svgGeometry';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'cli-many-groups-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(home);
  const store = new Store(join(home, DB_FILE), 'test');
  writeFinishedRuns(store, { name: 'sixty', learningRates: Array.from({ length: 60 }, (_, g) => (g + 1) / 1000), repeats: 2, epochs: 3, accuracy: (run, g, epoch) => 0.1 + 0.005 * g + 0.02 * epoch + 0.001 * (run % 2) });
  store.close();
});

const exportSvg = async (...args: string[]): Promise<string> => {
  const out = join(root, `${args.join('') || 'default'}.svg`);
  await run(process.execPath, ['scripts/workbench.mjs', 'export', 'svg', '--experiment', '1', ...args, '--out', out, '--home', home]);
  return readFileSync(out, 'utf8');
};

describe('workbench export svg with many groups', () => {
  it('keeps the plot at 60 groups: the top 10 in colour, the rest grey, the legend under the plot', async () => {
    const svg = await exportSvg();
    const g = svgGeometry(svg);
    expect(g.plot.height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
    expect(g.titleBottom).toBeLessThan(g.plot.y);
    expect(g.legendTop).toBeGreaterThan(g.axisBottom);
    expect(g.legendBottom).toBeLessThanOrEqual(g.height);
    expect(svg.match(/<g class="series muted"/g)).toHaveLength(50);
    expect(svg).toContain('γ 0.06 (n=2)');
    expect(svg).toContain('50 other groups (grey)');
  });

  it('--top N highlights N groups, --top 0 every group, and the figure grows to list them all', async () => {
    expect((await exportSvg('--top', '3')).match(/<g class="series muted"/g)).toHaveLength(57);
    const all = await exportSvg('--top', '0');
    expect(all).not.toContain('muted');
    const g = svgGeometry(all);
    expect(g.legendEntries).toBe(60);
    expect(g.plot.height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
    expect(g.height).toBeGreaterThan(700);
    const bad = await run(process.execPath, ['scripts/workbench.mjs', 'export', 'svg', '--experiment', '1', '--top', 'ten', '--home', home]).catch((e: { stderr: string }) => e);
    expect((bad as { stderr: string }).stderr).toMatch(/--top must be a whole number of groups to highlight/);
  });
});
