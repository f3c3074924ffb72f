// `workbench export png` timed per chart: five finished experiments (1, 3, 12, 30 and 60 groups of 3
// seeds, 20 epochs each) written through the store into a fresh home, each exported as the command
// does it (exportCommand in this process: open the home, aggregate, draw the SVG, rasterise, write),
// then the rasterising alone, then one whole `workbench export png` process (tsx start-up included)
// for reference. Run alone with `node --import tsx scripts/benchExportPng.ts`; `npm run bench` calls it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportCommand } from '../src-main/cli/exportCommand';
import { svgToPng } from '../src-main/cli/rasterize';
import { DB_FILE } from '../src-main/store/database';
import { Store } from '../src-main/store/store';
import { writeFinishedRuns } from '../test/helpers/finishedRuns';

const GROUP_COUNTS = [1, 3, 12, 30, 60];
const REPEATS = 3;
const EPOCHS = 20;
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];

/** One finished experiment per group count (learning rates × REPEATS seeds); returns their ids. */
function writeExperiments(home: string): number[] {
  const store = new Store(join(home, DB_FILE), 'bench');
  try {
    return GROUP_COUNTS.map((groups) =>
      writeFinishedRuns(store, {
        name: `bench png ${groups} groups`,
        learningRates: Array.from({ length: groups }, (_, i) => Number((0.001 * (i + 1)).toPrecision(6))),
        repeats: REPEATS,
        epochs: EPOCHS,
        accuracy: (run, group, epoch) => 0.1 + 0.3 * (1 - Math.exp(-epoch / 5)) + group / 400 + ((run * 7919 + epoch * 104729) % 1000) / 20_000,
      }),
    );
  } finally {
    store.close();
  }
}

/** Runs `workbench export` in this process, its "Wrote …" line kept off the console. */
async function exportQuietly(argv: string[]): Promise<void> {
  const stderr = process.stderr.write.bind(process.stderr);
  process.stderr.write = () => true;
  try {
    await exportCommand(argv);
  } finally {
    process.stderr.write = stderr;
  }
}

/** Times the export of each chart (and its rasterising alone); returns markdown lines. */
export async function benchExportPng(): Promise<string[]> {
  const home = mkdtempSync(join(tmpdir(), 'bench-png-'));
  const lines: string[] = [];
  try {
    const ids = writeExperiments(home);
    const perChart: string[] = [];
    const whole: number[] = [];
    const raster: number[] = [];
    for (const [k, id] of ids.entries()) {
      // the 60-group chart with every group in colour: the tallest figure (60 legend entries)
      const argv = ['--experiment', String(id), ...(GROUP_COUNTS[k] === 60 ? ['--top', '0'] : []), '--force', '--home', home];
      const png = join(home, `chart-${id}.png`);
      const start = performance.now();
      await exportQuietly(['png', ...argv, '--out', png]);
      const ms = performance.now() - start;
      whole.push(ms);
      await exportQuietly(['svg', ...argv, '--out', join(home, `chart-${id}.svg`)]);
      const svg = readFileSync(join(home, `chart-${id}.svg`), 'utf8');
      const t = performance.now();
      await svgToPng(svg, 2);
      raster.push(performance.now() - t);
      const size = /width="(\d+)" height="(\d+)"/.exec(svg)!;
      perChart.push(`${GROUP_COUNTS[k]} group${GROUP_COUNTS[k] === 1 ? '' : 's'} ${ms.toFixed(0)} ms (${Number(size[1]) * 2}×${Number(size[2]) * 2}, ${(statSync(png).size / 1024).toFixed(0)} KB)`);
    }
    const t = performance.now();
    execFileSync(process.execPath, [join(import.meta.dirname, 'workbench.mjs'), 'export', 'png', '--experiment', String(ids.at(-1)), '--top', '0', '--out', join(home, 'cli.png'), '--home', home], { stdio: 'ignore' });
    const cli = performance.now() - t;
    lines.push(`\`workbench export png\` (2×, resvg with the embedded Arimo font; ${GROUP_COUNTS.length} experiments of ${REPEATS} seeds × ${EPOCHS} epochs; each export in process: open the home, aggregate, draw the SVG, rasterise, write the file):`);
    lines.push(`- **median ${median(whole).toFixed(0)} ms per chart**: ${perChart.join(', ')} (the first includes loading resvg and the font)`);
    lines.push(`- rasterising alone (svgToPng at 2×): median ${median(raster).toFixed(0)} ms (${raster.map((v) => v.toFixed(0)).join(', ')} ms)`);
    lines.push(`- the whole command as a process, ${GROUP_COUNTS.at(-1)} groups (Node and tsx start-up included): ${cli.toFixed(0)} ms`);
    lines.push(`- load average while measuring (1 min, on ${String(availableParallelism())} cores): ${loadavg()[0].toFixed(2)}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) for (const line of await benchExportPng()) console.log(line);
