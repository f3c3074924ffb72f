import { readFile } from 'node:fs/promises';
import { AppError, ValidationError } from '../../src-shared/errors';
import { TERMINAL_STATUSES } from '../../src-shared/runs';
import { parseSweepSpec, sweepPreview } from '../../src-shared/sweep';
import { nestingProblem } from '../../src-shared/jsonDepth';
import { resolveHome } from '../data/appHome';
import { openWorkbench } from '../api/openWorkbench';
import { describeStoreFailure, isStoreError } from '../runner/storeFailure';
import { parseArgs } from './args';
import { LOCAL_FLAG, REDIS_FLAGS, REDIS_HELP, REDIS_OPTIONS, redisTarget } from './redisFlags';
import { ProgressBar } from './progressBar';
import { groupTable, runLine, varyingFields } from './runFormat';
import { latestAttempts, unfinishedLines } from './attempts';
import { SweepContinuation } from './sweepContinuation';
import { applySearchFlags, nameOptions, SEARCH_FLAGS, SEARCH_HELP, SEARCH_OPTIONS } from './searchFlags';
import { previewLine } from '../../src-shared/search/previewText';
import { estimateLine } from './estimateLine';

export const SWEEP_HELP = [
  'workbench sweep <spec.json> [--workers N] [--home dir] [--request-id ID] [--redis URL]',
  '',
  'Creates an experiment from a sweep spec and runs it on parallel workers, with progress.',
  'Spec: { "name": "...", "base": { config fields }, "axes": [{ "field": "learningRate", "values": [0.01, 0.1] }], "repeats": 10 }',
  'Repeat r uses seed base.seed + r. Ctrl-C cancels the running runs and leaves the rest queued.',
  'Run it again with the same --request-id to continue it (after a crash, a kill or Ctrl-C): queued runs run,',
  'interrupted ones are re-queued as new attempts (runs another process holds are waited for until it finishes',
  'them or their lease lapses); failed and cancelled runs are not run again: workbench runs requeue does that.',
  'Exit codes: 0 every run finished or diverged, 1 some run failed or did not finish (the last lines say which and',
  '  what to do) or another error, 2 invalid spec or options,',
  '4 the database refused a write (disk full, I/O error, read-only file): the message says which; the run',
  '  concerned is interrupted, the queue paused, everything saved before is kept, 130 Ctrl-C.',
  SEARCH_HELP,
  REDIS_HELP,
].join('\n');

/** Exit code of a sweep stopped because the database refused a write (see SWEEP_HELP). */
export const STORE_FAILURE_EXIT = 4;

/** `workbench sweep`: returns 0 when every run finished or diverged, 1 when some did not, 4 on a store failure, 130 on Ctrl-C. */
export async function sweepCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['workers', 'home', 'request-id', ...REDIS_OPTIONS, ...SEARCH_OPTIONS]), new Set(['help', LOCAL_FLAG, ...REDIS_FLAGS, ...SEARCH_FLAGS]));
  if (args.flags.has('help')) {
    process.stdout.write(`${SWEEP_HELP}\n`);
    return 0;
  }
  const file = args.positional[0];
  if (!file) throw new AppError('VALIDATION', 'sweep needs a spec file: workbench sweep <spec.json>');
  let spec: unknown;
  try {
    spec = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new AppError('VALIDATION', `${file}: ${(e as Error).message}`);
  }
  const deep = nestingProblem(spec, file);
  if (deep) throw new AppError('VALIDATION', deep);
  spec = applySearchFlags(spec, args);
  let checked;
  try {
    checked = parseSweepSpec(spec).spec;
  } catch (e) {
    throw e instanceof ValidationError ? nameOptions(e, args) : e;
  }
  const workersText = args.options.get('workers');
  const workers = workersText === undefined ? undefined : Number(workersText);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new AppError('VALIDATION', `--workers must be an integer 1–64, not '${workersText}'`);
  const home = resolveHome(args.options.get('home'));
  if (args.flags.has('preview')) {
    process.stdout.write(`${previewLine(checked, sweepPreview(checked))}\n`);
    // read-only and on this machine's threads: a preview creates, changes and connects to nothing
    const wb = openWorkbench(home, { workers, readOnly: true, local: true });
    try {
      process.stdout.write(`${await estimateLine(wb.api, home, spec, workers)}\n`);
    } finally {
      await wb.close();
    }
    return 0;
  }

  const wb = openWorkbench(home, { workers, redis: redisTarget(args), redisPassword: args.options.get('redis-password'), local: args.flags.has(LOCAL_FLAG) });
  const bar = new ProgressBar(process.stderr);
  const log = (line: string): void => {
    bar.clear();
    process.stdout.write(`${line}\n`);
  };
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    wb.runner.pause();
    for (const id of wb.runner.status().running) wb.runner.cancelRun(id);
    log('Cancelling the running runs; the queue is paused (queued runs stay queued)…');
  };
  process.on('SIGINT', onSigint);
  let storeFailed = false;
  try {
    // before experiments/create, which starts training; on the pool's workers (the API's default)
    log(await estimateLine(wb.api, home, spec));
    const created = await wb.api.call('experiments/create', { spec, clientRequestId: args.options.get('request-id') });
    const experimentId = created.id;
    // the runs that count: a run re-queued as a new attempt is history (see latestAttempts)
    const all = () => latestAttempts(wb.store.listRuns({ experimentId, limit: 100_000, offset: 0 }));
    const fields = varyingFields(all());
    const epochsPerRun = new Map(all().map((r) => [r.id, r.config.epochs]));
    // an ASHA sweep trains at most its preview's epochs: the bar measures against that
    const totalEpochs = checked.asha ? sweepPreview(checked).maxEpochs : [...epochsPerRun.values()].reduce((s, e) => s + e, 0);
    const fractions = new Map<number, number>();
    log(`Experiment ${experimentId}${created.created ? '' : ' (already submitted with this request id)'}: ${created.count} runs on ${wb.runner.status().workers} workers`);
    if (checked.asha) log(previewLine(checked, sweepPreview(checked)));
    if (wb.runner.paused) log('The queue is paused; resuming it.');
    wb.runner.resume();
    wb.api.subscribe((event, p) => {
      if (event === 'store/failure') {
        storeFailed = true;
        bar.clear();
        process.stderr.write(`workbench: ${p.message}\n`);
      }
      if (event === 'run/progress' && p.experimentId === experimentId) fractions.set(p.runId, p.fraction);
      if (event === 'run/state' && p.experimentId === experimentId && p.status !== 'running') {
        // a run waiting at an ASHA rung, or pruned there, trained only the epochs it has
        const run = wb.store.getRun(p.runId);
        fractions.set(p.runId, p.status === 'finished' || p.status === 'diverged' ? 1 : run.epochsDone / run.config.epochs);
        if (TERMINAL_STATUSES.includes(p.status)) log(runLine(run, fields));
      }
      if (event === 'run/progress' || event === 'run/state') {
        const done = [...fractions.entries()].reduce((s, [id, f]) => s + f * (epochsPerRun.get(id) ?? 0), 0);
        const q = wb.runner.status();
        bar.update(done / totalEpochs, `${q.running.length} running · ${q.queued} queued`);
      }
    });
    const continuation = new SweepContinuation(wb.api, experimentId, log, (pairs) => {
      for (const { from, to } of pairs) epochsPerRun.set(to, epochsPerRun.get(from) ?? 0).delete(from);
    });
    await continuation.requeueInterrupted();
    await wb.api.kick();
    const blocked = (await wb.api.call('queue/status', {})).blocked;
    if (blocked) throw new AppError('DATASET_MISSING', `${blocked} The runs stay queued.`);
    await continuation.untilSettled(() => wb.runner.whenIdle(), () => interrupted);
    const runs = all();
    log(`\nExperiment ${experimentId} "${wb.store.getExperiment(experimentId).name}":`);
    for (const line of groupTable(runs)) log(line);
    if (storeFailed) return STORE_FAILURE_EXIT;
    if (interrupted) return 130;
    const unfinished = unfinishedLines(experimentId, runs);
    for (const line of unfinished) log(line);
    return unfinished.length ? 1 : 0;
  } catch (e) {
    // a write refused outside the runner (queueing the sweep itself): said as plainly, same exit code
    if (e instanceof AppError && isStoreError(e.cause)) {
      process.stderr.write(`workbench: ${e.message}\n`);
      return STORE_FAILURE_EXIT;
    }
    if (!isStoreError(e)) throw e;
    process.stderr.write(`workbench: ${describeStoreFailure(e, { dbPath: wb.store.db.name, what: 'the sweep', run: null }).message}\n`);
    return STORE_FAILURE_EXIT;
  } finally {
    process.off('SIGINT', onSigint);
    bar.clear();
    await wb.close();
  }
}
