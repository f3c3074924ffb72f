import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src-shared/errors';
import type { RunPageQuery } from '../../src-shared/runs';
import { parseSweepSpec } from '../../src-shared/sweep';
import { Store } from '../../src-main/store/store';

const dir = mkdtempSync(join(tmpdir(), 'run-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('History search in SQL', () => {
  const s = new Store(join(dir, 'db.sqlite'), 'test');
  afterAll(() => s.close());
  // experiment 1: sgd/adam × γ 0.1, 0.15, 0.01 × 2 seeds (runs 1–12); experiment 2: one run with 256×128 layers (run 13)
  const grid = s.createExperiment(
    parseSweepSpec({ name: 'optimizer grid', axes: [{ field: 'optimizer', values: ['sgd', 'adam'] }, { field: 'learningRate', values: [0.1, 0.15, 0.01] }], repeats: 2 }).spec,
    null,
  ).id;
  const wide = s.createExperiment(parseSweepSpec({ name: 'wide net', base: { hidden: [256, 128], batchSize: 128 }, repeats: 1 }).spec, null).id;
  const all = s.listRuns({ limit: 100, offset: 0 });
  // finish runs 1–4 with 30, 45, 52.5 and 61.25 % test accuracy
  for (const acc of [0.3, 0.45, 0.525, 0.6125]) {
    const run = s.runs.claimNext('me', Date.now() + 1e5, 'wasm-simd', 'x', new Date().toISOString())!;
    s.recordEpoch(run.id, { epoch: 1, trainLoss: 1, trainAccuracy: acc, objective: 1, testLoss: 2 - acc, testAccuracy: acc, learningRate: 0.1, seconds: 1, confusion: Array(100).fill(0) }, { epoch: 1, testAccuracy: acc }, Date.now() + 1e5);
    s.finishRun(run.id, 'finished');
  }
  s.annotate('run', 3, { addTags: ['baseline'], notes: 'loss spikes: check the lr' });
  s.annotate('run', 9, { addTags: ['Baseline', 'odd one'] });

  const ids = (search: string, over: Partial<RunPageQuery> = {}): number[] =>
    s.pageRuns({ search, sort: 'id', direction: 'asc', limit: 100, offset: 0, ...over }).rows.map((r) => r.id);
  const where = (pred: (r: (typeof all)[number]) => boolean): number[] => all.filter(pred).map((r) => r.id);

  it('finds "adam" in Adam runs only, not in the adamBeta1 every stored config holds', () => {
    expect(all.every((r) => JSON.stringify(r.config).includes('adamBeta1'))).toBe(true);
    expect(ids('adam')).toEqual(where((r) => r.config.optimizer === 'adam'));
    expect(ids('ADAM')).toEqual(ids('adam'));
    expect(ids('-adam')).toEqual(where((r) => r.config.optimizer !== 'adam'));
  });

  it('finds the summary as the table shows it: "γ 0.1" (or "lr 0.1", easier to type) is γ 0.1 (not 0.15), "256×128", "batch 128"', () => {
    expect(ids('γ 0.1')).toEqual(where((r) => r.config.learningRate === 0.1));
    expect(ids('"SGD · γ 0.1"')).toEqual(where((r) => r.config.learningRate === 0.1 && r.config.optimizer === 'sgd'));
    expect(ids('lr 0.1')).toEqual(where((r) => r.config.learningRate === 0.1));
    expect(ids('"lr 0.1" adam')).toEqual(where((r) => r.config.learningRate === 0.1 && r.config.optimizer === 'adam'));
    expect(ids('256×128')).toEqual([13]);
    expect(ids('batch 128')).toEqual([13]);
  });

  it('finds run ids, statuses, experiment names, tags and notes', () => {
    expect(ids('7')).toEqual([7]);
    expect(ids('#13')).toEqual([13]);
    expect(ids('finished')).toEqual([1, 2, 3, 4]);
    expect(ids('wide')).toEqual([13]);
    expect(ids('optimizer grid').length).toBe(12);
    expect(ids('baseline')).toEqual([3, 9]);
    expect(ids('"odd one"')).toEqual([9]);
    expect(ids('spikes')).toEqual([3]);
  });

  it('reads field:value terms in the user\'s words, combined with each other and with text', () => {
    expect(ids('lr:0.1')).toEqual(where((r) => r.config.learningRate === 0.1));
    expect(ids('γ:0.15')).toEqual(where((r) => r.config.learningRate === 0.15));
    expect(ids('lr>0.05 lr<0.12')).toEqual(where((r) => r.config.learningRate === 0.1));
    expect(ids('lr:0.01..0.1 optimizer:adam')).toEqual(where((r) => r.config.learningRate !== 0.15 && r.config.optimizer === 'adam'));
    expect(ids('optimizer:adam status:finished')).toEqual([]);
    expect(ids(`optimizer:sgd status:finished tag:baseline exp:${grid}`)).toEqual([3]);
    expect(ids('tag:BASELINE')).toEqual([3, 9]);
    expect(ids('-tag:baseline status:finished')).toEqual([1, 2, 4]);
    expect(ids(`exp:${wide}`)).toEqual([13]);
    expect(ids('exp:wide')).toEqual([13]);
    expect(ids('hidden:256x128 batch:128')).toEqual([13]);
    expect(ids('hidden:100x100').length).toBe(12);
    expect(ids('seed:1 optimizer:sgd')).toEqual(where((r) => r.seed === 1 && r.config.optimizer === 'sgd'));
    expect(ids('notes:"check the"')).toEqual([3]);
    expect(ids('kernel:auto').length).toBe(13);
    expect(ids('id:2..4')).toEqual([2, 3, 4]);
    expect(ids('id>11')).toEqual([12, 13]);
  });

  it('compares accuracies in percent: above, a range, and equal as the table shows them', () => {
    expect(ids('acc>50')).toEqual([3, 4]);
    expect(ids('acc:40..55')).toEqual([2, 3]);
    expect(ids('acc:52.50')).toEqual([3]);
    expect(ids('best>=61.25')).toEqual([4]);
    expect(ids('loss<1.5')).toEqual([3, 4]);
    expect(ids('-acc>50')).toEqual(where((r) => r.id !== 3 && r.id !== 4));
  });

  it('counts what it pages, and combines with the other filters', () => {
    const page = s.pageRuns({ search: 'adam', status: 'queued', sort: 'id', direction: 'desc', limit: 2, offset: 0 });
    expect(page.total).toBe(where((r) => r.config.optimizer === 'adam').length);
    expect(page.rows.map((r) => r.id)).toEqual(where((r) => r.config.optimizer === 'adam').reverse().slice(0, 2));
  });

  it('refuses an unknown field or a bad value at the search field, saying what to type', () => {
    const refusal = (() => {
      try {
        ids('lrr:0.1');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([{ path: 'search', message: expect.stringMatching(/^unknown field 'lrr' — did you mean lr\? Try lr, optimizer/) }]);
    expect(() => ids('optimizer:adamw')).toThrow(/optimizer is sgd or adam, not 'adamw'/);
  });
});
