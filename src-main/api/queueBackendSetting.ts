import { ValidationError, type FieldIssue } from '../../src-shared/errors';
import type { QueueBackend, QueueInUse, WorkbenchSettings } from '../../src-shared/settings';
import { redisOptions, shownUrl, type RedisTarget } from '../runner/redis/redisConnection';
import type { Store } from '../store/store';

/** Keys in the settings table: which queue runs train on, read at start (see openWorkbench). */
export const QUEUE_BACKEND = 'queue.backend';
export const QUEUE_REDIS_URL = 'queue.redisUrl';
export const QUEUE_REDIS_TLS = 'queue.redisTls';

/** Where the password comes from instead of the database (said in every message about it). */
export const PASSWORD_SOURCE = 'set WORKBENCH_REDIS_PASSWORD before starting the app (or give workbench serve --redis-password)';

type QueueSettings = Pick<WorkbenchSettings, 'queueBackend' | 'redisUrl' | 'redisTls'>;

/** The queue settings as saved (local, no URL, no TLS until the user chooses otherwise). */
export function storedQueueSettings(store: Store): QueueSettings {
  const backend = store.settings.get(QUEUE_BACKEND);
  return {
    queueBackend: backend === 'redis' ? 'redis' : 'local',
    redisUrl: store.settings.get(QUEUE_REDIS_URL) ?? '',
    redisTls: store.settings.get(QUEUE_REDIS_TLS) === 'true',
  };
}

/** Why a URL cannot be saved as the queue's, or null: it must be one redisOptions() reads, with no password in it. */
function urlProblem(url: string): string | null {
  try {
    redisOptions({ url });
  } catch (e) {
    return (e as Error).message;
  }
  if (new URL(url).password) return `Leave the password out of the URL: it is not saved in the history; ${PASSWORD_SOURCE}`;
  return null;
}

/**
 * Checks the queue settings a change would leave (the change over what is saved) and refuses them
 * at the field: Redis needs a URL, and a URL must be a Redis URL without a password.
 */
export function checkQueueSettings(next: QueueSettings): void {
  const issues: FieldIssue[] = [];
  const problem = next.redisUrl === '' ? null : urlProblem(next.redisUrl);
  if (problem) issues.push({ path: 'redisUrl', message: problem });
  else if (next.queueBackend === 'redis' && next.redisUrl === '') issues.push({ path: 'redisUrl', message: 'Give the URL of the Redis server the workers use, e.g. redis://192.168.1.20:6379' });
  if (issues.length) throw new ValidationError(issues, 'Queue setting not saved');
}

/** Writes the queue settings (the caller holds the transaction and has checked them). */
export function saveQueueSettings(store: Store, next: QueueSettings): void {
  store.settings.set(QUEUE_BACKEND, next.queueBackend);
  store.settings.set(QUEUE_REDIS_URL, next.redisUrl);
  store.settings.set(QUEUE_REDIS_TLS, String(next.redisTls));
}

/**
 * The Redis queue the saved settings ask for, with the password from outside the database; none
 * when they say local. A saved setting that cannot be used (a URL edited by hand) leaves the local
 * queue in use and says why, instead of stopping the app.
 */
export function storedQueueTarget(store: Store, password: string | undefined): { target: RedisTarget | undefined; problem: string | null } {
  let saved: QueueSettings;
  try {
    saved = storedQueueSettings(store);
  } catch (e) {
    return { target: undefined, problem: `The queue setting could not be read (${(e as Error).message}); runs train on this computer` };
  }
  if (saved.queueBackend !== 'redis') return { target: undefined, problem: null };
  const problem = saved.redisUrl === '' ? 'no Redis URL is saved' : urlProblem(saved.redisUrl);
  if (problem) return { target: undefined, problem: `The saved Redis queue cannot be used (${problem}); runs train on this computer until it is corrected` };
  return { target: { url: saved.redisUrl, password, tls: saved.redisTls }, problem: null };
}

/** What the Queue settings card says is in use now. */
export function queueInUse(target: RedisTarget | undefined, problem: string | null, named: boolean): QueueInUse {
  const backend: QueueBackend = target ? 'redis' : 'local';
  return { backend, url: target ? shownUrl(target.url) : null, problem, named };
}
