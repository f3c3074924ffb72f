import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import { Store } from '../../src-main/store/store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'priority-'));
  dirs.push(dir);
  return new Store(join(dir, 'workbench.sqlite'), 'test');
}

const claim = (s: Store) => s.runs.claimNext('me', Date.now() + 60_000, null, 'sha', new Date().toISOString());

describe("a sweep's priority", () => {
  it('queued runs of a higher-priority sweep start first; equal priorities oldest first; the default is 0', () => {
    const s = store();
    try {
      const low = s.createExperiment(parseSweepSpec({ name: 'low', repeats: 2, priority: -5 }).spec, null).id;
      const plain = s.createExperiment(parseSweepSpec({ name: 'plain', repeats: 2 }).spec, null).id;
      const high = s.createExperiment(parseSweepSpec({ name: 'high', repeats: 2, priority: 10 }).spec, null).id;
      const order = Array.from({ length: 6 }, () => claim(s)!.experiment_id);
      expect(order).toEqual([high, high, plain, plain, low, low]);
      expect(claim(s)).toBeNull();
      expect(s.experiments.get(plain)!.priority).toBe(0);
      expect(s.runs.priority(s.listRuns({ experimentId: high, limit: 1, offset: 0 })[0].id)).toBe(10);
    } finally {
      s.close();
    }
  });

  it('a priority outside -100–100 or not a whole number is refused at its field', () => {
    for (const priority of [101, -101, 1.5, '3']) {
      expect(() => parseSweepSpec({ name: 'x', priority })).toThrow(/priority/);
    }
  });
});
