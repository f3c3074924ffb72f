import { AppError } from '../../src-shared/errors';
import type { RedisTarget } from '../runner/redis/redisConnection';
import { redisOptions } from '../runner/redis/redisConnection';
import type { ParsedArgs } from './args';

/** The options every command that can use the Redis queue takes. */
export const REDIS_OPTIONS = ['redis', 'redis-password'] as const;
export const REDIS_FLAGS = ['redis-tls'] as const;
/** The flag of the commands that can also train here (sweep, serve): --local overrides a saved Redis queue. */
export const LOCAL_FLAG = 'local';

export const REDIS_HELP = [
  '  --redis URL [--redis-password P] [--redis-tls]   train on worker processes behind this Redis queue (see workbench worker)',
  '  instead of the queue saved in the settings (Queue view); the password may also come from WORKBENCH_REDIS_PASSWORD,',
  '  and --redis-password alone is the password of the saved Redis queue (never stored in the history);',
  '  --local   train on this computer\'s threads even when the saved queue setting is Redis',
].join('\n');

/** The Redis queue named on the command line, checked; undefined when none is. */
export function redisTarget(args: ParsedArgs): RedisTarget | undefined {
  const url = args.options.get('redis');
  if (url !== undefined && args.flags.has(LOCAL_FLAG)) throw new AppError('VALIDATION', '--local and --redis exclude each other: --local trains on this computer, --redis on the workers of that queue');
  if (url === undefined) {
    // --redis-password alone is the password of the Redis queue saved in the settings (see openWorkbench)
    if (args.flags.has('redis-tls')) throw new AppError('VALIDATION', '--redis-tls goes with --redis URL (the saved queue setting has its own TLS choice)');
    return undefined;
  }
  const target: RedisTarget = { url, password: args.options.get('redis-password') ?? process.env.WORKBENCH_REDIS_PASSWORD, tls: args.flags.has('redis-tls') };
  redisOptions(target); // refuses a malformed URL now, with the reason
  return target;
}
