import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src-main/runner/redis/redisConnection';
import { redisProblems } from '../../../src-main/runner/redis/redisHealth';
import { redisUnavailable, startRedis, type RedisServer } from '../../helpers/redisServer';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the Redis health checks need a real Redis: ${missing}`);
let redis: RedisServer;
beforeAll(async () => {
  if (!missing) redis = await startRedis();
});
afterAll(() => redis?.close());

describe.skipIf(missing !== null)('the Redis settings check', () => {
  it('says nothing for noeviction + AOF, and names each risky setting in plain words otherwise', async () => {
    const client = connect({ url: redis.url });
    try {
      expect(await redisProblems(client)).toEqual([]);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await client.config('SET', 'appendonly', 'no');
      const problems = await redisProblems(client);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/maxmemory-policy allkeys-lru.*Set maxmemory-policy noeviction/);
      expect(problems[1]).toMatch(/without an append-only file.*Set appendonly yes/);
      await client.config('SET', 'appendonly', 'yes');
      await client.config('SET', 'maxmemory-policy', 'noeviction');
    } finally {
      client.disconnect();
    }
  });
});
