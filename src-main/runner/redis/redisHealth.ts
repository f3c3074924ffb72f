import type { Redis } from 'ioredis';

/**
 * What is wrong with a Redis server for a queue that must not lose jobs: keys evicted under memory
 * pressure (`maxmemory-policy` other than noeviction) and no append-only file (a restart loses
 * what was queued). Returns one plain sentence per problem; none when CONFIG cannot be read
 * (managed Redis often forbids it), with a sentence saying the check was not possible.
 */
export async function redisProblems(redis: Redis): Promise<string[]> {
  try {
    const policy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1];
    const aof = ((await redis.config('GET', 'appendonly')) as string[])[1];
    const out: string[] = [];
    if (policy !== 'noeviction') out.push(`Redis evicts keys under memory pressure (maxmemory-policy ${policy}): queued runs could vanish. Set maxmemory-policy noeviction.`);
    if (aof !== 'yes') out.push('Redis runs without an append-only file (appendonly no): a restart of Redis loses the queue. Set appendonly yes.');
    return out;
  } catch {
    return ['Could not read the Redis configuration (CONFIG GET is not allowed): make sure it runs with maxmemory-policy noeviction and appendonly yes.'];
  }
}
