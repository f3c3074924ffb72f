import { AppError } from '../../src-shared/errors';
import { openWorkbench } from '../api/openWorkbench';
import { resolveHome } from '../data/appHome';
import { parseArgs } from './args';
import { unfinishedLines } from './attempts';
import { runLine, varyingFields } from './runFormat';
import { cancelOnCtrlC, positiveInt, workersOption } from './trainHere';

export const RESUME_HELP = [
  'workbench runs resume <id> [--workers N] [--home dir]',
  'workbench runs resume --experiment ID [--workers N] [--home dir]',
  '  continues the run (interrupted, cancelled or failed), or every interrupted run of the experiment, from its',
  '  last checkpoint under the same id, and trains here until those runs end (a paused queue is paused again once',
  '  they have started). The metrics are the same as if it had never stopped. A damaged checkpoint is refused (the',
  '  reason is printed) and the run continues from the one before, or from epoch 1. Exit codes: 0 all finished or',
  '  diverged, 1 some did not, 2 invalid options or a run that cannot be resumed, 130 Ctrl-C (running runs',
  '  cancelled; resume them again later).',
].join('\n');

/** `workbench runs resume`: resumes through the API and trains the resumed runs in this process. */
export async function runsResumeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['home', 'experiment', 'workers']), new Set(['help']));
  if (args.flags.has('help')) {
    process.stdout.write(`${RESUME_HELP}\n`);
    return 0;
  }
  const [idText, extra] = args.positional;
  const experimentText = args.options.get('experiment');
  if (extra !== undefined) throw new AppError('VALIDATION', `runs resume takes one run id; '${extra}' is one too many`);
  if ((idText === undefined) === (experimentText === undefined)) throw new AppError('VALIDATION', `runs resume needs a run id or --experiment ID (one of them)\n${RESUME_HELP}`);
  const workers = workersOption(args);
  const runId = idText === undefined ? undefined : positiveInt('The run id', idText);
  const experimentId = experimentText === undefined ? undefined : positiveInt('--experiment', experimentText);

  const wb = openWorkbench(resolveHome(args.options.get('home')), { workers });
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const ctrlC = cancelOnCtrlC(wb, log, 'Cancelling the running runs (their checkpoints stay: resume them again later)…');
  try {
    // heard from the start: a resumed run may start before the request returns
    const started = new Set<number>();
    const over = new Set<number>();
    let ids = new Set<number>();
    let repause = false;
    let allEnded!: () => void;
    const done = new Promise<void>((resolve) => (allEnded = resolve));
    const check = (): void => {
      const all = [...ids];
      // a queue the user had paused is paused again once the resumed runs have started: nothing else starts because of this command
      if (repause && all.every((id) => started.has(id) || over.has(id))) {
        repause = false;
        wb.runner.pause();
      }
      if (all.length && all.every((id) => over.has(id))) allEnded();
    };
    wb.api.subscribe((event, p) => {
      if (event !== 'run/state') return;
      if (p.status === 'running') started.add(p.runId);
      else if (p.status !== 'queued') {
        over.add(p.runId);
        if (ids.has(p.runId)) log(`run ${p.runId} ${p.status}${p.error ? ` — ${p.error}` : ''}`);
      }
      check();
    });
    const { resumed } = runId !== undefined ? await wb.api.call('runs/resume', { id: runId }) : await wb.api.call('experiments/resume', { id: experimentId! });
    ids = new Set(resumed);
    log(`Resuming ${resumed.length === 1 ? `run ${resumed[0]}` : `${resumed.length} runs (${resumed.join(', ')})`} from ${resumed.length === 1 ? 'its' : 'their'} last checkpoint.`);
    if ((await wb.api.call('queue/status', {})).paused) {
      log(`The queue is paused; it runs until ${resumed.length === 1 ? 'this run has' : 'these runs have'} started, then is paused again.`);
      repause = true;
      await wb.api.call('queue/resume', {});
    }
    const blocked = (await wb.api.call('queue/status', {})).blocked;
    if (blocked) throw new AppError('DATASET_MISSING', `${blocked} The resumed runs stay queued.`);
    check();
    // the resumed runs' ends; or nothing left to do here (a store failure or Ctrl-C paused the queue, another process took them)
    await Promise.race([done, wb.runner.whenIdle()]);
    if (ctrlC.pressed()) return 130;
    for (const id of wb.runner.status().running.filter((r) => !ids.has(r))) {
      log(`run ${id} (taken from the queue meanwhile) is interrupted: this command ends with the runs it resumed; continue it with workbench runs resume ${id}`);
    }
    const ended = await Promise.all(resumed.map((id) => wb.api.call('runs/get', { id })));
    for (const r of ended) {
      if (r.resumeNote) log(`run ${r.id}: ${r.resumeNote}`);
      log(`run ${r.id} continued after epoch ${r.resumedEpoch ?? 0}`);
    }
    const fields = varyingFields(ended);
    for (const r of ended) log(runLine(r, fields));
    const unfinished = ended.length ? unfinishedLines(ended[0].experimentId, ended) : [];
    for (const line of unfinished) log(line);
    return unfinished.length ? 1 : 0;
  } finally {
    ctrlC.remove();
    await wb.close();
  }
}
