import { describe, expect, it } from 'vitest';
import { compareAddress, compareRunsHash, DEFAULT_COMPARE_STATE, parseCompareQuery, type CompareUrlState } from '../../src-shared/compareUrl';

describe('the Compare state in the URL', () => {
  it('reads back every choice it writes, and writes nothing for the defaults', () => {
    expect(compareAddress(DEFAULT_COMPARE_STATE)).toEqual({ param: null, query: {} });
    expect(compareAddress({ ...DEFAULT_COMPARE_STATE, experimentIds: [7] })).toEqual({ param: 7, query: {} });
    const state: CompareUrlState = {
      experimentIds: [7, 8], runIds: [], metric: 'testLoss', band: 'ci95', logY: true, groupBy: ['learningRate', 'optimizer'], picked: ['["sgd",0.1]', 'abc'],
      brushes: [{ axis: 'learningRate', lo: 0.001, hi: 0.05623 }, { axis: 'metric', lo: -1e-3, hi: 2 }], pcUnit: 'configs', scatterX: 'l2', scatterColor: 'optimizer', scatterY: 'best',
    };
    const { param, query } = compareAddress(state);
    expect([param, query.with]).toEqual([7, '8']);
    expect(query.brush).toBe('learningRate:0.001..0.05623,metric:-0.001..2');
    expect(parseCompareQuery(query, param)).toEqual({ state, ignored: [] });
  });

  it('keeps hand-picked runs instead of experiments, and an empty grouping apart from none', () => {
    const { state } = parseCompareQuery({ runs: '3,5,9,5', group: '' });
    expect(state.runIds).toEqual([3, 5, 9]);
    expect(state.groupBy).toEqual([]);
    expect(compareAddress({ ...state, experimentIds: [1] })).toEqual({ param: null, query: { runs: '3,5,9', group: '' } });
    expect(compareRunsHash([3, 5, 9])).toBe('#/compare?runs=3,5,9');
  });

  it('takes #/compare/7 as experiment 7, with= as experiments added to it, and exp= as the whole list', () => {
    expect(parseCompareQuery({}, 7).state.experimentIds).toEqual([7]);
    expect(parseCompareQuery({ with: '8,7,9' }, 7).state.experimentIds).toEqual([7, 8, 9]);
    expect(parseCompareQuery({ exp: '8,9' }, 7).state.experimentIds).toEqual([8, 9]);
  });

  it('names what it cannot read and keeps the defaults for it', () => {
    const { state, ignored } = parseCompareQuery({ metric: 'accuracy', band: 'wide', runs: '3,x', group: 'lr', brush: 'learningRate:0.1..0.01', logy: 'yes', pick: '{', sx: 'nope', token: 'abc' });
    expect(state).toEqual(DEFAULT_COMPARE_STATE);
    expect(ignored).toEqual(['runs=3,x', 'metric=accuracy', 'band=wide', 'logy=yes', 'group=lr', 'pick={', 'brush=learningRate:0.1..0.01', 'sx=nope']);
  });
});
