import { AppError } from '../../src-shared/errors';
import { DATA_HELP, dataCommand } from './dataCommand';
import { errorReport } from './errorReport';
import { EVALUATE_HELP, evaluateCommand } from './evaluateCommand';
import { EXPORT_HELP, exportCommand } from './exportCommand';
import { LIST_HELP, listCommand } from './listCommands';
import { PREDICT_HELP, predictCommand } from './predictCommand';
import { SERVE_HELP, serveCommand } from './serveCommand';
import { SWEEP_HELP, sweepCommand } from './sweepCommand';
import { TRAIN_HELP, trainCommand } from './trainCommand';
import { WORKER_HELP, workerCommand } from './workerCommand';

const USAGE = [
  'Usage: workbench <command> [options]',
  '',
  'Commands:',
  '  train      train the MLP on CIFAR-10 (workbench train --help)',
  '  data       download, import, verify and inspect the CIFAR-10 cache (workbench data --help)',
  '  sweep      run a sweep (grid × repeats) on parallel workers (workbench sweep --help)',
  '  experiments, runs   list and inspect what was run; re-queue interrupted or failed runs; archive, restore and purge runs (workbench runs --help)',
  '  serve      browser mode: the app and its API on 127.0.0.1 (workbench serve --help)',
  '  worker     a headless worker for runs queued on Redis (workbench worker --help)',
  '  export     CSV of an experiment\'s runs, epochs or aggregated series (workbench export --help)',
  '  predict    classify PNGs or CIFAR records with a saved model file (workbench predict --help)',
  '  evaluate   test accuracy, loss and confusion matrix of a saved model file (workbench evaluate --help)',
  '',
].join('\n');

/** Runs one CLI invocation and returns its exit code; errors become one clear line on stderr. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        return await trainCommand(rest);
      case 'data':
        return await dataCommand(rest);
      case 'sweep':
        return await sweepCommand(rest);
      case 'experiments':
      case 'runs':
        return await listCommand(command, rest);
      case 'serve':
        return await serveCommand(rest);
      case 'worker':
        return await workerCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case 'predict':
        return await predictCommand(rest);
      case 'evaluate':
        return await evaluateCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n${TRAIN_HELP}\n\n${DATA_HELP}\n\n${SWEEP_HELP}\n\n${LIST_HELP}\n\n${SERVE_HELP}\n\n${WORKER_HELP}\n\n${EXPORT_HELP}\n\n${PREDICT_HELP}\n\n${EVALUATE_HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new AppError('VALIDATION', `Unknown command '${command}'. Commands: train, data, sweep, experiments, runs, serve, worker, export, predict, evaluate`);
    }
  } catch (error) {
    const report = errorReport(error);
    process.stderr.write(`workbench: ${report.text}\n`);
    return report.exitCode;
  }
}
