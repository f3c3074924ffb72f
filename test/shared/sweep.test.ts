import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src-shared/errors';
import { expandSweep, parseSweepSpec } from '../../src-shared/sweep';

const EIGHT_WIDE = [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096];

/** The issues a spec is refused with (fails the test if it is accepted or fails otherwise). */
function issuesOf(spec: unknown): { path: string; message: string }[] {
  try {
    parseSweepSpec(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('the spec was accepted');
}

describe('sweep spec validation', () => {
  it('refuses an axis named after an Object property (__proto__, toString …) at axes.N.field', () => {
    for (const field of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      // as it arrives from JSON: '__proto__' as a value, not a key
      const spec = JSON.parse(`{"name":"x","axes":[{"field":"${field}","values":[1]}]}`);
      expect(issuesOf(spec).map((i) => i.path), field).toEqual(['axes.0.field']);
    }
  });

  it('refuses a spec nested deeper than any valid one, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 150_000; i++) deep = { a: deep };
    const issues = issuesOf({ name: 'x', base: deep });
    expect(issues).toContainEqual({ path: `base${'.a'.repeat(63)}`, message: 'nested more than 64 levels deep' });
    let list: unknown = [];
    for (let i = 0; i < 150_000; i++) list = [list];
    expect(issuesOf({ name: 'x', axes: [{ field: 'hidden', values: list }] }).map((i) => i.message)).toContain('nested more than 64 levels deep');
  });

  it('refuses a base config whose runs cannot fit in memory at base.hidden', () => {
    const issues = issuesOf({ name: 'x', base: { hidden: EIGHT_WIDE, batchSize: 4096, optimizer: 'adam' } });
    expect(issues).toEqual([{ path: 'base.hidden', message: expect.stringMatching(/^with batch size 4096 and adam this network needs about 4\.\d\d GB .* more than the 2\.00 GB one run may use/) }]);
  });

  it('refuses the axis values whose grid points cannot fit, once each, and accepts a base that axes shrink', () => {
    const issues = issuesOf({
      name: 'x',
      base: { batchSize: 4096 },
      axes: [
        { field: 'optimizer', values: ['sgd', 'adam'] },
        { field: 'hidden', values: [[100], EIGHT_WIDE, [4096, 4096]] },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(['axes.1.values.1']);
    // the first grid point of that value that does not fit names its batch size and optimizer
    expect(issues[0].message).toMatch(/^hidden: with batch size 4096 and sgd this network needs about 3\.\d\d GB/);
    // too large at its own batch size, the base fits at every batch size of the axis
    const shrunk = parseSweepSpec({ name: 'x', base: { hidden: EIGHT_WIDE, batchSize: 4096 }, axes: [{ field: 'batchSize', values: [64, 128] }] });
    expect(expandSweep(shrunk.spec).map((r) => r.config.batchSize)).toEqual([64, 128]);
  });

  it('refuses a value given twice in one axis at the second one, whatever its spelling', () => {
    expect(issuesOf({ name: 'x', axes: [{ field: 'learningRate', values: [0.1, 0.3, 0.1] }] })).toEqual([
      { path: 'axes.0.values.2', message: 'learningRate: 0.1 is already value 1 of this axis; each value is run once per repeat, so remove one' },
    ]);
    expect(issuesOf({ name: 'x', axes: [{ field: 'hidden', values: [[8, 8], [8], [8, 8]] }] }).map((i) => i.path)).toEqual(['axes.0.values.2']);
    expect(issuesOf({ name: 'x', axes: [{ field: 'optimizer', values: ['sgd', 'sgd'] }] }).map((i) => i.path)).toEqual(['axes.0.values.1']);
  });

  it('says the count, how it comes about and the limit when a sweep holds too many runs, at the repeats', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i + 1) / 1000);
    const issues = issuesOf({ name: 'x', axes: [{ field: 'learningRate', values }], repeats: 1000 });
    const message = '100 values × 1,000 repeats = 100,000 runs, more than the 10,000 a sweep may hold: use fewer values or repeats';
    expect(issues).toEqual([{ path: 'repeats', message }]);
    const two = issuesOf({ name: 'x', axes: [{ field: 'learningRate', values }, { field: 'l2', values: [0, 0.001, 0.01] }], repeats: 40 });
    expect(two).toEqual([{ path: 'repeats', message: '100 × 3 values × 40 repeats = 12,000 runs, more than the 10,000 a sweep may hold: use fewer values or repeats' }]);
  });
});
