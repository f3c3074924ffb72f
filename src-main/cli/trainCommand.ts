import { readFile } from 'node:fs/promises';
import { AppError } from '../../src-shared/errors';
import { nestingProblem } from '../../src-shared/jsonDepth';
import type { EpochMetrics, TrainResult } from '../../src-shared/metrics';
import { resolveHome } from '../data/appHome';
import { readCifar } from '../data/cifarReader';
import { DatasetManager } from '../data/datasetManager';
import { createBackend, kernelReport, train } from '../engine/index';
import { parseArgs } from './args';
import { CONFIG_OPTIONS, configFromOptions, configOptionsHelp } from './configFlags';
import { formatDuration, ProgressBar } from './progressBar';

export const TRAIN_HELP = [
  'workbench train --data <folder|cifar-10-binary.tar.gz> [options]',
  '',
  'Trains the MLP on CIFAR-10 and prints one line per epoch and a summary.',
  '',
  '  --data <path>        extracted cifar-10-batches-bin folder or the .tar.gz (default: the cache, see workbench data)',
  '  --home <dir>         application data folder holding the cache (default: $WORKBENCH_HOME or the app data folder)',
  '  --config <file>      JSON file with any config fields; options below override it',
  '  --json               one JSON object per line: {"type":"epoch",…} per epoch, then {"type":"summary",…}',
  '',
  'Config options:',
  ...configOptionsHelp(),
].join('\n');

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : String(v));
const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : String(v));

function epochLine(m: EpochMetrics, epochs: number): string {
  return `epoch ${String(m.epoch).padStart(String(epochs).length)}/${epochs}  train loss ${num(m.trainLoss)}  test loss ${num(m.testLoss)}  test acc ${pct(m.testAccuracy)}  lr ${m.learningRate.toPrecision(4)}  ${m.seconds.toFixed(2)}s`;
}

function summary(result: TrainResult, seconds: number): Record<string, unknown> {
  const last = result.epochs.at(-1);
  return {
    type: 'summary',
    status: result.status,
    epochs: result.epochs.length,
    divergedEpoch: result.divergedEpoch,
    finalTestAccuracy: last?.testAccuracy ?? null,
    finalTestLoss: last?.testLoss ?? null,
    best: result.best,
    kernel: result.kernel,
    parameters: result.parameterCount,
    seconds,
  };
}

/** One line naming the kernels this run uses, and why when it is not the fastest available. */
function kernelLine(choice: string, used: string): string {
  if (choice !== 'auto') return `Kernel: ${used} (--kernel ${choice})`;
  const report = kernelReport();
  return report.native.available ? `Kernel: ${used}` : `Kernel: ${used}. ${report.message}`;
}

/** `workbench train`: returns the process exit code (0 finished, 3 diverged, 130 cancelled). */
export async function trainCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['data', 'home', 'config', ...CONFIG_OPTIONS.keys()]), new Set(['json', 'help']));
  if (args.flags.has('help')) {
    process.stdout.write(`${TRAIN_HELP}\n`);
    return 0;
  }
  if (args.positional.length) throw new AppError('VALIDATION', `Unexpected argument '${args.positional[0]}' (see --help)`);
  const dataPath = args.options.get('data');

  let fileConfig: Record<string, unknown> | null = null;
  const configPath = args.options.get('config');
  if (configPath) {
    const text = await readFile(configPath, 'utf8').catch((e: Error) => {
      throw new AppError('IO', `--config ${configPath}: ${e.message}`);
    });
    try {
      fileConfig = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new AppError('VALIDATION', `--config ${configPath}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof fileConfig !== 'object' || fileConfig === null || Array.isArray(fileConfig)) {
      throw new AppError('VALIDATION', `--config ${configPath}: must hold a JSON object`);
    }
    const deep = nestingProblem(fileConfig, `--config ${configPath}`);
    if (deep) throw new AppError('VALIDATION', deep);
  }
  const config = configFromOptions(args.options, fileConfig);
  const json = args.flags.has('json');
  const bar = new ProgressBar(process.stderr);
  const log = (line: string): void => {
    bar.clear();
    process.stdout.write(`${line}\n`);
  };

  const manager = new DatasetManager(resolveHome(args.options.get('home')));
  if (!json) process.stderr.write(`Loading ${dataPath ?? manager.folders.final}…\n`);
  const data = dataPath ? await readCifar(dataPath) : await manager.load();
  if (!json) log(`Data: ${data.train.count} training${config.trainLimit > 0 && config.trainLimit < data.train.count ? ` (using the first ${config.trainLimit})` : ''} / ${data.test.count} test images · ${config.hidden.join('×') || 'no'} hidden ${config.activation} · ${config.optimizer} γ ${config.learningRate} · batch ${config.batchSize} · ${config.epochs} epochs · seed ${config.seed}`);

  const backend = createBackend(config.kernel);
  if (!json) log(kernelLine(config.kernel, backend.kind));

  let stopRequested = false;
  const onSigint = (): void => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    bar.clear();
    process.stderr.write('Stopping after the current batch (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  const started = performance.now();
  try {
    const result = await train(config, data, {
      backend,
      hooks: {
        shouldStop: () => stopRequested,
        onProgress: (p) => {
          if (!json) bar.update(p.fraction, `epoch ${p.epoch}/${config.epochs} · batch ${p.batch}/${p.batches}`);
          return new Promise<void>((resolve) => setImmediate(resolve));
        },
        onEpoch: (m) => {
          if (json) process.stdout.write(`${JSON.stringify({ type: 'epoch', ...m })}\n`);
          else log(epochLine(m, config.epochs));
        },
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const s = summary(result, seconds);
    if (json) process.stdout.write(`${JSON.stringify(s)}\n`);
    else {
      const best = result.best ? `best ${pct(result.best.testAccuracy)} at epoch ${result.best.epoch}` : 'no completed epoch';
      const status = result.status === 'diverged' ? `diverged at epoch ${result.divergedEpoch}` : result.status;
      log(`\n${status} · final test acc ${pct(Number(s.finalTestAccuracy ?? NaN))} · ${best} · ${result.parameterCount.toLocaleString('en')} parameters · ${result.kernel} · ${formatDuration(seconds)}`);
    }
    return result.status === 'finished' ? 0 : result.status === 'diverged' ? 3 : 130;
  } finally {
    process.off('SIGINT', onSigint);
    bar.clear();
  }
}
