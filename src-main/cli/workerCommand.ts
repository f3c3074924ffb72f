import { AppError } from '../../src-shared/errors';
import { resolveHome } from '../data/appHome';
import { RemoteWorker } from '../runner/redis/remoteWorker';
import { parseArgs } from './args';
import { REDIS_FLAGS, REDIS_OPTIONS, redisTarget } from './redisFlags';

export const WORKER_HELP = [
  'workbench worker --redis redis://host:6379 [--concurrency N] [--home dir] [--checkpoint-every S] [--redis-password P] [--redis-tls]',
  '  a headless worker for runs queued on Redis by the app, `workbench serve --redis` or `workbench sweep --redis`:',
  '  trains N runs at a time (default 1) with this machine\'s dataset cache (it must be the same archive the',
  '  coordinator uses). Each epoch goes to Redis, and a run\'s checkpoint every S seconds (default 10; 0 = every',
  '  epoch), so a run whose worker is lost continues on another one, redoing at most about S seconds of it.',
  '  Ctrl-C leaves the queue; the runs it had continue elsewhere from their newest checkpoints.',
].join('\n');

/** `workbench worker`: runs until interrupted. */
export async function workerCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['home', 'concurrency', 'lock-ms', 'checkpoint-every', ...REDIS_OPTIONS]), new Set(['help', ...REDIS_FLAGS]));
  if (args.flags.has('help')) {
    process.stdout.write(`${WORKER_HELP}\n`);
    return 0;
  }
  const target = redisTarget(args);
  if (!target) throw new AppError('VALIDATION', `workbench worker needs --redis URL\n${WORKER_HELP}`);
  const concurrency = Number(args.options.get('concurrency') ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new AppError('VALIDATION', `--concurrency must be an integer 1–64, not '${args.options.get('concurrency')}'`);
  const lockText = args.options.get('lock-ms');
  const lockMs = lockText === undefined ? undefined : Number(lockText);
  if (lockMs !== undefined && (!Number.isInteger(lockMs) || lockMs < 1000)) throw new AppError('VALIDATION', `--lock-ms must be an integer ≥ 1000, not '${lockText}'`);
  const everyText = args.options.get('checkpoint-every');
  const every = everyText === undefined ? undefined : Number(everyText);
  if (every !== undefined && (everyText!.trim() === '' || !Number.isFinite(every) || every < 0 || every > 86_400)) {
    throw new AppError('VALIDATION', `--checkpoint-every must be a number of seconds 0–86400 (0 = after every epoch), not '${everyText}'`);
  }
  const checkpointEveryMs = every === undefined ? undefined : every * 1000;
  const worker = new RemoteWorker({ target, home: resolveHome(args.options.get('home')), concurrency, lockMs, checkpointEveryMs, log: (line) => void process.stdout.write(`${line}\n`) });
  await worker.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('Leaving the queue; runs in progress continue on other workers from their checkpoints.\n');
  await worker.close();
  return 0;
}
