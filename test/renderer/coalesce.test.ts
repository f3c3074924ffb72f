import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src-renderer/src/coalesce';

describe('coalesce (one refresh in flight, at most one more after it)', () => {
  it('turns a burst of 10,000 calls into two, and every caller waits for a call that started after it', async () => {
    let calls = 0;
    let release!: () => void;
    const refresh = coalesce(async () => {
      calls += 1;
      if (calls === 1) await new Promise<void>((r) => (release = r));
    });
    const first = refresh();
    const rest = Array.from({ length: 9_999 }, () => refresh());
    expect(calls).toBe(1);
    release();
    await Promise.all([first, ...rest]);
    expect(calls).toBe(2);
    // idle again: the next call runs at once
    await refresh();
    expect(calls).toBe(3);
  });

  it('goes on after a call that throws, and lets the caller see the error', async () => {
    let n = 0;
    const refresh = coalesce(async () => {
      n += 1;
      if (n === 1) throw new Error('offline');
    });
    await expect(refresh()).rejects.toThrow('offline');
    await refresh();
    expect(n).toBe(2);
  });
});
