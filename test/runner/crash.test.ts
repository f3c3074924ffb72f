import { describe, expect, it } from 'vitest';
import { runChaos } from '../helpers/chaos';

describe('a sweep process SIGKILLed at random moments (20 times)', () => {
  it('always reopens intact, with every committed epoch and no run left running', async () => {
    const report = await runChaos(20, 7);
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(20);
    expect(report.committedEpochs).toBeGreaterThan(20);
    expect(report.runsChecked).toBeGreaterThan(4);
  }, 240_000);
});
