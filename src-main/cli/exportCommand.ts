import type { Metric } from '../../src-shared/aggregate';
import { groupCompare } from '../../src-shared/compareData';
import { AppError } from '../../src-shared/errors';
import { epochsCsv, runsCsv, seriesCsv } from '../../src-shared/exports';
import { groupChart, type Band } from '../../src-shared/groupChart';
import { lineChartSvg } from '../../src-shared/svgChart';
import { svgToPng } from './rasterize';
import { openWorkbench } from '../api/openWorkbench';
import { resolveHome } from '../data/appHome';
import { parseArgs } from './args';
import { writeOutput } from './outputFile';
import { asOverwriteRefusal, outFlag } from './overwrite';

export const EXPORT_HELP = [
  'workbench export csv --experiment ID [--table runs|epochs|series] [--metric M] [--out file.csv [--force]] [--home dir]',
  'workbench export svg|png --experiment ID [--metric M] [--band std|se|ci95|minmax] [--log-y] [--top N] [--out file [--force]]',
  '',
  '  runs     one row per run: config columns, seed, status, final and best metrics (default)',
  '  epochs   every epoch of every run, long format',
  '  series   mean, std, SE, 95 % CI, n per group (runs differing only in seed) and epoch, of --metric',
  '           (testAccuracy, testLoss, trainLoss, trainAccuracy or objective; default testAccuracy)',
  'svg      mean curve per group with a shaded band, title, axis labels and legend, as vector paths;',
  '         up to 30 groups by colour and line style, beyond that the 10 best by final mean in colour and',
  '         the rest grey (--top N: the N best; --top 0: every group in colour); a long legend makes the',
  '         figure taller, never the plot smaller',
  'png      the same chart at 2× resolution (drawn by resvg, no browser needed; text in the bundled Arimo font)',
  '--out refuses a file that already exists unless --force is given.',
].join('\n');

const METRICS: Metric[] = ['testAccuracy', 'testLoss', 'trainLoss', 'trainAccuracy', 'objective'];

/** `workbench export csv|svg|png`: writes to --out or stdout. */
export async function exportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['experiment', 'table', 'metric', 'out', 'home', 'band', 'top']), new Set(['help', 'log-y', 'force']));
  if (args.flags.has('help')) {
    process.stdout.write(`${EXPORT_HELP}\n`);
    return 0;
  }
  const format = args.positional[0];
  if (format !== 'csv' && format !== 'svg' && format !== 'png') throw new AppError('VALIDATION', `export needs a format: csv, svg or png\n${EXPORT_HELP}`);
  const band = (args.options.get('band') ?? 'std') as Band;
  if (!['std', 'se', 'ci95', 'minmax'].includes(band)) throw new AppError('VALIDATION', `--band must be std, se, ci95 or minmax, not '${band}'`);
  const experimentId = Number(args.options.get('experiment'));
  if (!Number.isInteger(experimentId) || experimentId < 1) throw new AppError('VALIDATION', `--experiment must be an experiment id, not '${args.options.get('experiment') ?? ''}'`);
  const table = args.options.get('table') ?? 'runs';
  if (!['runs', 'epochs', 'series'].includes(table)) throw new AppError('VALIDATION', `--table must be runs, epochs or series, not '${table}'`);
  const metric = (args.options.get('metric') ?? 'testAccuracy') as Metric;
  if (!METRICS.includes(metric)) throw new AppError('VALIDATION', `--metric must be one of ${METRICS.join(', ')}, not '${metric}'`);
  const topText = args.options.get('top');
  if (topText !== undefined && !/^\d{1,6}$/.test(topText)) throw new AppError('VALIDATION', `--top must be a whole number of groups to highlight (0: every group in colour), not '${topText}'`);
  const top = topText === undefined ? 'auto' : Number(topText);
  const flag = outFlag(args.options.get('out'), args.flags.has('force'));

  const wb = openWorkbench(resolveHome(args.options.get('home')), { workers: 1 });
  try {
    const experiment = await wb.api.call('experiments/get', { id: experimentId });
    // charts and the series come aggregated from the store; only the epochs table needs every row
    const grouped = async () => groupCompare(await wb.api.call('experiments/compare', { ids: [experimentId], metric }));
    const csv =
      format !== 'csv'
        ? lineChartSvg(groupChart(experiment.name, await grouped(), metric, band, { logY: args.flags.has('log-y'), highlight: top }))
        : table === 'runs'
          ? runsCsv(await wb.api.call('runs/list', { experimentId, limit: 10_000 }))
          : table === 'epochs'
            ? epochsCsv(await wb.api.call('experiments/results', { id: experimentId }))
            : seriesCsv(await grouped(), metric);
    const out = args.options.get('out');
    const content = format === 'png' ? await svgToPng(csv, 2) : csv;
    if (out) {
      await writeOutput(out, content, flag).catch(asOverwriteRefusal(out));
      process.stderr.write(`Wrote ${out}\n`);
    } else process.stdout.write(content);
    return 0;
  } finally {
    await wb.close();
  }
}
