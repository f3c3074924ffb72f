import { AppError } from '../../src-shared/errors';
import type { RunStatus, RunSummary } from '../../src-shared/runs';
import type { WorkbenchApi } from '../api/workbenchApi';
import { openWorkbench } from '../api/openWorkbench';
import { resolveHome } from '../data/appHome';
import { parseArgs, type ParsedArgs } from './args';
import { experimentRuns, latestAttempts, pairsText, REQUEUEABLE, requeueRuns, unfinishedLines } from './attempts';
import { runLine, varyingFields } from './runFormat';
import { cancelOnCtrlC, positiveInt, workersOption } from './trainHere';

export const REQUEUE_HELP = [
  'workbench runs requeue <id> [--workers N] [--home dir]',
  'workbench runs requeue --experiment ID [--status interrupted|failed|cancelled|diverged] [--workers N] [--home dir]',
  '  queues a new attempt of the run, or of every run of the experiment in that status (default interrupted;',
  '  a run already re-queued is skipped: its attempt stands for it), then trains the queue here until it is done.',
  '  Exit codes: 0 every new attempt finished or diverged, 1 some did not (the last lines say which),',
  '  2 invalid options or a run that cannot be re-queued, 130 Ctrl-C (running attempts cancelled, the rest queued).',
].join('\n');

/** What to re-queue: one run, or the latest attempts of an experiment's runs in one status. */
function target(args: ParsedArgs): { runId: number } | { experimentId: number; status: RunStatus } {
  const [idText, extra] = args.positional;
  const experimentText = args.options.get('experiment');
  const statusText = args.options.get('status');
  if (extra !== undefined) throw new AppError('VALIDATION', `runs requeue takes one run id; '${extra}' is one too many`);
  if (idText === undefined && experimentText === undefined) throw new AppError('VALIDATION', `runs requeue needs a run id or --experiment ID\n${REQUEUE_HELP}`);
  if (idText !== undefined && experimentText !== undefined) throw new AppError('VALIDATION', 'runs requeue takes a run id or --experiment ID, not both');
  if (idText !== undefined) {
    if (statusText !== undefined) throw new AppError('VALIDATION', '--status goes with --experiment ID (a single run is re-queued whatever its status allows)');
    return { runId: positiveInt('The run id', idText) };
  }
  const status = (statusText ?? 'interrupted') as RunStatus;
  if (!REQUEUEABLE.includes(status)) throw new AppError('VALIDATION', `--status must be ${REQUEUEABLE.join(', ')}, not '${statusText}'`);
  return { experimentId: positiveInt('--experiment', experimentText!), status };
}

/** The run, refused if it was re-queued already: a second attempt of the same seed would count twice. */
async function notSuperseded(api: WorkbenchApi, id: number): Promise<RunSummary> {
  const run = await api.call('runs/get', { id });
  const attempt = (await experimentRuns(api, run.experimentId)).find((r) => r.requeuedFrom === id);
  if (attempt) throw new AppError('VALIDATION', `Run ${id} was already re-queued as run ${attempt.id} (${attempt.status}); re-queue run ${attempt.id} instead if it needs another attempt`);
  return run;
}

/**
 * `workbench runs requeue`: queues new attempts through the API and, as `workbench sweep` does,
 * trains them in this process (a CLI process that stopped now would leave them interrupted again).
 */
export async function runsRequeueCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['home', 'experiment', 'status', 'workers']), new Set(['help']));
  if (args.flags.has('help')) {
    process.stdout.write(`${REQUEUE_HELP}\n`);
    return 0;
  }
  const what = target(args);
  const workers = workersOption(args);

  const wb = openWorkbench(resolveHome(args.options.get('home')), { workers });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const ctrlC = cancelOnCtrlC(wb, log, 'Cancelling the running runs; the queue is paused (queued runs stay queued)…');
  try {
    const chosen = 'runId' in what ? [await notSuperseded(wb.api, what.runId)] : latestAttempts(await experimentRuns(wb.api, (await wb.api.call('experiments/get', { id: what.experimentId })).id)).filter((r) => r.status === what.status);
    if (chosen.length === 0 && 'experimentId' in what) {
      log(`Experiment ${what.experimentId} has no ${what.status} runs to re-queue.`);
      return 0;
    }
    const experiments = new Set(chosen.map((r) => r.experimentId));
    wb.api.subscribe((event, p) => {
      if (event === 'run/state' && experiments.has(p.experimentId) && p.status !== 'running') log(`run ${p.runId} ${p.status}${p.error ? ` — ${p.error}` : ''}`);
    });
    const pairs = await requeueRuns(wb.api, chosen);
    log(`Re-queued ${pairs.length} ${pairs.length === 1 ? 'run as a new attempt' : 'runs as new attempts'} (old → new): ${pairsText(pairs)}`);
    // only once the API took the request: a refused one changes nothing, not even the queue's pause
    if ((await wb.api.call('queue/status', {})).paused) {
      log('The queue is paused; resuming it.');
      await wb.api.call('queue/resume', {});
    }
    const blocked = (await wb.api.call('queue/status', {})).blocked;
    if (blocked) throw new AppError('DATASET_MISSING', `${blocked} The new attempts stay queued.`);
    await wb.runner.whenIdle();
    if (ctrlC.pressed()) return 130;
    const ended = await Promise.all(pairs.map((p) => wb.api.call('runs/get', { id: p.to })));
    const fields = varyingFields(ended);
    for (const r of ended) log(runLine(r, fields));
    const unfinished = unfinishedLines(chosen[0].experimentId, ended);
    for (const line of unfinished) log(line);
    return unfinished.length ? 1 : 0;
  } finally {
    ctrlC.remove();
    await wb.close();
  }
}
