import { describe, expect, it } from 'vitest';
import { runChaos } from '../helpers/chaos';

describe('a sweep process SIGKILLed at random moments while it trains (20 times), then its interrupted runs resumed', () => {
  it('always reopens intact, with every committed epoch, checkpoints that agree with the history and no run left running; resumed runs match clean runs epoch for epoch', async () => {
    // each kill comes 1–3 committed epochs (36 in all with seed 7) after the child began training, so
    // a slow or busy machine changes when the kills land, not what is checked
    const report = await runChaos(20, 7);
    console.log(`crash test: ${report.kills} kills, ${report.committedEpochs} committed epochs checked, ${report.runsChecked} runs, ${report.resumed} resumed and compared, ${report.problems.length} problems`);
    expect(report.problems).toEqual([]);
    expect(report.kills).toBe(20);
    expect(report.committedEpochs).toBeGreaterThanOrEqual(36);
    expect(report.runsChecked).toBeGreaterThan(4);
    expect(report.resumed).toBeGreaterThan(4);
  }, 600_000);
});
