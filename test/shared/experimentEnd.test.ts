import { describe, expect, it } from 'vitest';
import { endedNotice, experimentEnded, experimentEndWatcher } from '../../src-shared/experimentEnd';
import type { ExperimentSummary } from '../../src-shared/runs';

const summary = (statusCounts: ExperimentSummary['statusCounts']): ExperimentSummary =>
  ({ id: 7, name: 'Fig. 1', description: '', notes: '', tags: [], createdAt: '', runCount: Object.values(statusCounts).reduce((s, n) => s + (n ?? 0), 0), statusCounts }) as ExperimentSummary;

describe('the end of an experiment (notifications)', () => {
  it('ends when nothing is left to train, and says how its runs ended', () => {
    expect(experimentEnded(summary({ finished: 28, failed: 2 }))).toBe(true);
    expect(experimentEnded(summary({ finished: 28, queued: 1 }))).toBe(false);
    expect(experimentEnded(summary({ finished: 1, waiting: 1 }))).toBe(false);
    expect(endedNotice(summary({ finished: 28, failed: 2 }))).toEqual({ title: 'Experiment 7 ended', body: 'Fig. 1: 28 finished · 2 failed' });
    expect(endedNotice(summary({ finished: 3 })).title).toBe('Experiment 7 finished');
  });

  it('says nothing of an experiment deleted in History: its queued runs are cancelled, but none is left to count', async () => {
    expect(experimentEnded(summary({}))).toBe(false);
    const notices: string[] = [];
    const watch = experimentEndWatcher(async () => summary({}), (n) => notices.push(n.title));
    await watch({ experimentId: 7, status: 'cancelled' });
    expect(notices).toEqual([]);
    const ended = experimentEndWatcher(async () => summary({ finished: 2 }), (n) => notices.push(n.title));
    await Promise.all([ended({ experimentId: 7, status: 'finished' }), ended({ experimentId: 7, status: 'finished' })]);
    expect(notices).toEqual(['Experiment 7 finished']);
  });
});
