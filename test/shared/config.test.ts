import { describe, expect, it } from 'vitest';
import { describeIssues, forbiddenKeys, parseTrainConfig, trainConfigSchema } from '../../src-shared/config';

describe('run config validation', () => {
  it('refuses a config that cannot fit in a worker at hidden, with the figure and the limit', () => {
    const result = trainConfigSchema.safeParse({ hidden: [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096], batchSize: 4096, optimizer: 'adam' });
    expect(result.success).toBe(false);
    const [issue] = describeIssues(result.error!.issues, {});
    expect(issue.path).toBe('hidden');
    expect(issue.message).toMatch(/needs about 4\.\d\d GB .*more than the 2\.00 GB one run may use: use fewer or narrower hidden layers, a smaller batch size or plain SGD$/);
  });

  it('names the allowed values only from its own help entries, never from Object.prototype', () => {
    const issues = describeIssues([{ code: 'custom', path: ['toString'], message: 'bad', input: 1 }], { hidden: 'a list' });
    expect(issues).toEqual([{ path: 'toString', message: 'bad' }]);
  });

  it('finds prototype keys at any depth and stops at 64 levels instead of overflowing the stack', () => {
    expect(forbiddenKeys(JSON.parse('{"a":[{"__proto__":1}],"b":{"constructor":2}}')).map((i) => i.path).sort()).toEqual(['a.0.__proto__', 'b.constructor']);
    let deep: unknown = {};
    for (let i = 0; i < 150_000; i++) deep = [deep];
    expect(forbiddenKeys({ spec: deep })).toEqual([{ path: `spec${'.0'.repeat(63)}`, message: 'nested more than 64 levels deep' }]);
    expect(parseTrainConfig({}).hidden).toEqual([100, 100]);
  });
});
