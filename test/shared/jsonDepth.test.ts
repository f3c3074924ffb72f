import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, nestingProblem } from '../../src-shared/jsonDepth';

describe('JSON nesting depth', () => {
  it('counts levels of arrays and objects', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: [] }], c: 2 })).toBe(4);
  });

  it('measures 150,000 levels without recursion and names the limit', () => {
    const text = `{"spec":${'['.repeat(150_000)}${']'.repeat(150_000)}}`;
    expect(jsonDepth(JSON.parse(text))).toBe(150_001);
    expect(jsonDepth(JSON.parse(text), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
    expect(nestingProblem(JSON.parse(text), 'spec.json')).toBe('spec.json nests more than 64 levels deep; no valid input nests more than a few');
    expect(nestingProblem({ name: 'x', axes: [{ field: 'hidden', values: [[100, 100]] }] }, 'spec.json')).toBeNull();
  });
});
