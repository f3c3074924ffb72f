// `workbench export png` as a user runs it, without any browser: the PNG is the SVG export's chart at
// 2×, read back pixel by pixel by an independent decoder (title, plot frame, curves in their palette
// colours, the legend's text), for a 3-group chart and a 60-group one whose figure grows.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src-main/store/database';
import { Store } from '../../src-main/store/store';
import { PALETTE } from '../../src-shared/seriesStyle';
import { writeFinishedRuns } from '../helpers/finishedRuns';
import { darkPixels, decodePng, type Pixels } from '../helpers/pngPixels';
import { svgGeometry } from '../helpers/svgGeometry';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'cli-export-png-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(home);
  const store = new Store(join(home, DB_FILE), 'test');
  const accuracy = (r: number, g: number, epoch: number): number => 0.1 + 0.05 * g + 0.03 * epoch + 0.002 * (r % 3);
  writeFinishedRuns(store, { name: 'three rates', learningRates: [0.01, 0.05, 0.2], repeats: 3, epochs: 5, accuracy });
  writeFinishedRuns(store, { name: 'sixty rates', learningRates: Array.from({ length: 60 }, (_, g) => (g + 1) / 1000), repeats: 2, epochs: 3, accuracy: (r, g, e) => 0.1 + 0.004 * g + 0.02 * e + 0.001 * (r % 2) });
  store.close();
});

const cli = (...args: string[]) => run(process.execPath, ['scripts/workbench.mjs', 'export', ...args, '--home', home], { encoding: 'buffer', maxBuffer: 64 * 2 ** 20 });

async function exportBoth(experiment: number, ...args: string[]): Promise<{ svg: string; png: Buffer }> {
  const base = join(root, `${experiment}${args.join('')}`);
  await cli('svg', '--experiment', String(experiment), ...args, '--out', `${base}.svg`);
  const { stderr } = await cli('png', '--experiment', String(experiment), ...args, '--out', `${base}.png`);
  expect(stderr.toString()).toBe(`Wrote ${base}.png\n`);
  return { svg: readFileSync(`${base}.svg`, 'utf8'), png: readFileSync(`${base}.png`) };
}

/** Pixels within `tolerance` of a #rrggbb colour inside a box. */
function pixelsOf(img: Pixels, hex: string, box: { x: number; y: number; width: number; height: number }, tolerance = 12): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let y = Math.round(box.y); y < box.y + box.height; y++) {
    for (let x = Math.round(box.x); x < box.x + box.width; x++) if (img.at(x, y).slice(0, 3).every((v, i) => Math.abs(v - want[i]) <= tolerance)) n++;
  }
  return n;
}

const scaled = (box: { x: number; y: number; width: number; height: number }, k = 2) => ({ x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k });

describe('workbench export png', () => {
  it('is the SVG chart at 2×: its title, plot frame, a curve per group in its colour, the legend', async () => {
    const { svg, png } = await exportBoth(1);
    const g = svgGeometry(svg);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([2 * g.width, 2 * g.height]);
    expect(img.at(1, 1)).toEqual([255, 255, 255, 255]);
    expect(darkPixels(img, 0, 0, img.width, 2 * g.titleBottom)).toBeGreaterThan(800);
    // the plot's left edge is a dark frame line along its whole height, at twice the SVG's x
    const frameX = Math.round(2 * g.plot.x);
    expect(darkPixels(img, frameX - 2, 2 * g.plot.y + 10, frameX + 2, 2 * (g.plot.y + g.plot.height) - 10)).toBeGreaterThan(2 * g.plot.height - 40);
    const plot = scaled(g.plot);
    for (const colour of PALETTE.slice(0, 3)) expect(pixelsOf(img, colour, plot), colour).toBeGreaterThan(200);
    expect(pixelsOf(img, PALETTE[3], plot)).toBe(0); // three groups, three colours
    expect(darkPixels(img, 0, 2 * g.legendTop, img.width, 2 * g.legendBottom)).toBeGreaterThan(500);
  });

  it('a 60-group chart with every group in colour grows the figure, and the PNG grows with it', async () => {
    const { svg, png } = await exportBoth(2, '--top', '0');
    const g = svgGeometry(svg);
    expect(g.legendEntries).toBe(60);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([2 * g.width, 2 * g.height]);
    expect(img.height).toBeGreaterThan(1400);
    for (const colour of PALETTE) expect(pixelsOf(img, colour, scaled(g.plot)), colour).toBeGreaterThan(20);
    // every legend row (a baseline of the SVG's legend text) has its text drawn in the PNG
    const legend = svg.slice(svg.indexOf('<g class="legend">'));
    const baselines = [...new Set([...legend.matchAll(/<text [^>]*\sy="([\d.]+)"/g)].map((m) => Number(m[1])))];
    expect(baselines.length).toBeGreaterThanOrEqual(20);
    for (const y of baselines) expect(darkPixels(img, 0, 2 * (y - 13), img.width, 2 * (y + 4)), `legend row at y ${y}`).toBeGreaterThan(300);
  });

  it('writes the PNG to stdout without --out, and keeps refusing bad input clearly', async () => {
    const { stdout } = await cli('png', '--experiment', '1');
    const img = decodePng(stdout);
    const svg = (await cli('svg', '--experiment', '1')).stdout.toString();
    expect([img.width, img.height]).toEqual([2 * svgGeometry(svg).width, 2 * svgGeometry(svg).height]);
    const stderrOf = (p: Promise<unknown>) => p.then(() => '', (e: { stderr: Buffer }) => e.stderr.toString());
    expect(await stderrOf(cli('png', '--experiment', '99'))).toMatch(/No experiment 99/);
    expect(await stderrOf(cli('png', '--experiment', '1', '--band', 'iqr'))).toMatch(/--band must be std, se, ci95 or minmax/);
    const out = join(root, 'kept.png');
    await cli('png', '--experiment', '1', '--out', out);
    expect(await stderrOf(cli('png', '--experiment', '1', '--out', out))).toMatch(/already exists/);
  });
});
