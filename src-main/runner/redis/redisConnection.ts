import { Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../../../src-shared/errors';

/** Where the distributed queue lives: a Redis URL, with an optional password and TLS. */
export interface RedisTarget {
  url: string;
  password?: string;
  tls?: boolean;
}

/** The BullMQ queue of training runs (one per Redis database; `prefix` separates several labs). */
export const QUEUE_NAME = 'workbench-runs';

/**
 * ioredis options for a target: the URL's host, port, database, user and password, TLS when the
 * URL says rediss:// or asked; retries forever with a capped back-off (a lost connection comes
 * back by itself), and `maxRetriesPerRequest: null`, which BullMQ requires of its connections.
 */
export function redisOptions(target: RedisTarget): RedisOptions {
  let u: URL;
  try {
    u = new URL(target.url);
  } catch {
    throw new AppError('VALIDATION', `'${target.url}' is not a Redis URL; write it as redis://host:6379 (or rediss:// for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new AppError('VALIDATION', `'${target.url}' is not a Redis URL (redis:// or rediss://)`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new AppError('VALIDATION', `'${target.url}': the database after the port must be a number (redis://host:6379/0)`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: target.password ?? (u.password ? decodeURIComponent(u.password) : undefined),
    tls: u.protocol === 'rediss:' || target.tls ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 * times, 2000),
    lazyConnect: false,
  };
}

/** The same options as BullMQ's connection type wants them (a plain object). */
export function bullConnection(target: RedisTarget): Record<string, unknown> {
  return { ...redisOptions(target) };
}

/** A new connection (each BullMQ class and each role gets its own). */
export function connect(target: RedisTarget): Redis {
  return new Redis(redisOptions(target));
}

/** The URL without its password, for messages and the Queue view. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
