import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunPageQuery } from '../../src-shared/runs';
import { parseSweepSpec } from '../../src-shared/sweep';
import { Store } from '../../src-main/store/store';

const dir = mkdtempSync(join(tmpdir(), 'run-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const q = (over: Partial<RunPageQuery> = {}): RunPageQuery => ({ sort: 'id', direction: 'asc', limit: 100, offset: 0, ...over });

describe('paging, sorting and filtering runs', () => {
  const s = new Store(join(dir, 'db.sqlite'), 'test');
  const { id: exp } = s.createExperiment(parseSweepSpec({ name: 'grid', axes: [{ field: 'learningRate', values: [0.01, 0.1, 0.3] }], repeats: 4 }).spec, null);
  // finish a few runs with known accuracies (one NaN) so sorting has something to sort
  const accs = [0.4, 0.2, NaN, 0.9];
  for (const acc of accs) {
    const run = s.runs.claimNext('me', Date.now() + 1e5, 'wasm-simd', 'x', new Date().toISOString())!;
    s.recordEpoch(run.id, { epoch: 1, trainLoss: 1, trainAccuracy: acc, objective: 1, testLoss: 1, testAccuracy: acc, learningRate: 0.1, seconds: 1, confusion: Array(100).fill(0) }, null, Date.now() + 1e5);
    s.finishRun(run.id, Number.isNaN(acc) ? 'diverged' : 'finished', null, Number.isNaN(acc) ? 1 : null);
  }

  it('pages with a total', () => {
    const page = s.pageRuns(q({ limit: 5, offset: 10 }));
    expect(page.total).toBe(12);
    expect(page.rows.map((r) => r.id)).toEqual([11, 12]);
  });

  it('sorts by accuracy with NaN and unmeasured runs last, either direction', () => {
    expect(s.pageRuns(q({ sort: 'finalTestAccuracy', direction: 'desc', limit: 3 })).rows.map((r) => r.finalTestAccuracy)).toEqual([0.9, 0.4, 0.2]);
    const asc = s.pageRuns(q({ sort: 'finalTestAccuracy', direction: 'asc', limit: 3 })).rows.map((r) => r.finalTestAccuracy);
    expect(asc).toEqual([0.2, 0.4, 0.9]);
  });

  it('filters by status, experiment, tag, search text and an exact config value', () => {
    expect(s.pageRuns(q({ status: 'finished' })).total).toBe(3);
    expect(s.pageRuns(q({ status: 'diverged' })).rows[0].finalTestAccuracy).toBeNaN();
    expect(s.pageRuns(q({ experimentId: exp })).total).toBe(12);
    s.annotate('run', 5, { addTags: ['keep', 'odd'], notes: 'loss spikes at 100%_done' });
    s.annotate('run', 5, { removeTags: ['odd'] });
    expect(s.pageRuns(q({ tag: 'keep' })).rows.map((r) => [r.id, r.tags, r.notes])).toEqual([[5, ['keep'], 'loss spikes at 100%_done']]);
    expect(s.pageRuns(q({ search: '100%_d' })).rows.map((r) => r.id)).toEqual([5]);
    expect(s.pageRuns(q({ search: '%' })).total).toBe(1);
    expect(s.pageRuns(q({ search: '7' })).rows.map((r) => r.id)).toEqual([7]);
    expect(s.pageRuns(q({ configField: 'learningRate', configValue: '0.3' })).rows.map((r) => r.config.learningRate)).toEqual([0.3, 0.3, 0.3, 0.3]);
    expect(s.pageRuns(q({ configField: 'learningRate', configValue: '0.3', status: 'queued' })).total).toBe(4);
  });

  it('refuses to delete an experiment with a running run, then deletes it with its runs and tags', () => {
    const running = s.runs.claimNext('me', Date.now() + 1e5, 'wasm-simd', 'x', new Date().toISOString())!;
    expect(() => s.deleteExperiment(exp)).toThrow(/has 1 running run\(s\); cancel them before deleting it/);
    s.finishRun(running.id, 'cancelled');
    s.deleteExperiment(exp);
    expect(s.pageRuns(q()).total).toBe(0);
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM tags').get()).toEqual({ n: 0 });
    expect(() => s.annotate('run', 5, { notes: 'x' })).toThrow(/No run 5/);
    s.close();
  });
});
