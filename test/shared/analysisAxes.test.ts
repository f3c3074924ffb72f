import { describe, expect, it } from 'vitest';
import { analysisRows, axisValue, fromUnit, makeAxis, passesBrushes, roundBrush, toUnit } from '../../src-shared/analysisAxes';
import type { CompareData } from '../../src-shared/compareData';
import { DEFAULT_TRAIN_CONFIG } from '../../src-shared/config';

const config = (learningRate: number, optimizer: 'sgd' | 'adam') => ({ ...DEFAULT_TRAIN_CONFIG, learningRate, optimizer });
// three configurations: two seeds each, one of them failed; run 7 superseded by its attempt 8
const data: CompareData = {
  metric: 'testAccuracy',
  configs: [
    { configHash: 'a', config: config(0.001, 'sgd'), epochs: [], confusion: null },
    { configHash: 'b', config: config(0.01, 'sgd'), epochs: [], confusion: null },
    { configHash: 'c', config: config(0.1, 'adam'), epochs: [], confusion: null },
  ],
  runs: [
    { id: 1, experimentId: 1, status: 'finished', configHash: 'a', final: 0.2, best: 0.25, bestTestAccuracy: 0.25 },
    { id: 2, experimentId: 1, status: 'finished', configHash: 'a', final: 0.3, best: 0.3, bestTestAccuracy: 0.3 },
    { id: 3, experimentId: 1, status: 'finished', configHash: 'b', final: 0.4, best: 0.45, bestTestAccuracy: 0.45 },
    { id: 4, experimentId: 1, status: 'failed', configHash: 'b', final: 0.1, best: 0.1, bestTestAccuracy: 0.1 },
    { id: 7, experimentId: 1, status: 'finished', configHash: 'c', final: 0.9, best: 0.9, bestTestAccuracy: 0.9, supersededBy: 8 },
    { id: 8, experimentId: 1, status: 'finished', configHash: 'c', final: 0.5, best: 0.6, bestTestAccuracy: 0.6 },
  ],
};

describe('the rows and axes of the analysis views', () => {
  it('gives a row per run an attempt does not supersede, or per configuration the mean over its finished runs', () => {
    expect(analysisRows(data, 'runs').map((r) => r.runId)).toEqual([1, 2, 3, 4, 8]);
    const configs = analysisRows(data, 'configs');
    expect(configs.map((r) => [r.runIds, r.n])).toEqual([[[1, 2], 2], [[3, 4], 1], [[8], 1]]);
    expect(configs[0].final).toBeCloseTo(0.25, 12);
    expect(configs[1].final).toBe(0.4);
  });

  it('puts a field spread over two decades on a log axis, a choice on a category axis, the metric linear', () => {
    const rows = analysisRows(data, 'runs');
    const lr = makeAxis('learningRate', rows, 'testAccuracy');
    expect([lr.kind, lr.label, lr.domain]).toEqual(['log', 'Learning rate γ (log)', [0.001, 0.1]]);
    expect(toUnit(lr, 0.01)).toBeCloseTo(0.5, 12);
    expect(fromUnit(lr, 1)).toBe(0.1);
    expect(fromUnit(lr, 0.5)).toBeCloseTo(0.01, 12);
    const opt = makeAxis('optimizer', rows, 'testAccuracy');
    expect([opt.kind, opt.categories]).toEqual(['category', ['Adam', 'SGD']]);
    expect(axisValue(opt, rows[0])).toBe(1);
    const metric = makeAxis('metric', rows, 'testAccuracy', 'best');
    expect([metric.kind, metric.label, metric.domain]).toEqual(['linear', 'best test accuracy (%)', [0.1, 0.6]]);
  });

  it('keeps the rows inside every brush, a brush on an axis not drawn filtering nothing', () => {
    const rows = analysisRows(data, 'runs');
    const axes = [makeAxis('learningRate', rows, 'testAccuracy'), makeAxis('metric', rows, 'testAccuracy')];
    const kept = (brushes: Parameters<typeof passesBrushes>[2]) => rows.filter((r) => passesBrushes(r, axes, brushes)).map((r) => r.runId);
    expect(kept([])).toEqual([1, 2, 3, 4, 8]);
    expect(kept([{ axis: 'learningRate', lo: 0.005, hi: 0.1 }])).toEqual([3, 4, 8]);
    expect(kept([{ axis: 'learningRate', lo: 0.005, hi: 0.1 }, { axis: 'metric', lo: 0.35, hi: 1 }])).toEqual([3, 8]);
    expect(kept([{ axis: 'l2', lo: 5, hi: 6 }])).toEqual([1, 2, 3, 4, 8]);
  });

  it('shortens a brush for the address outwards only', () => {
    expect(roundBrush(0.0562341, 0.1)).toEqual([0.05623, 0.1]);
    expect(roundBrush(0.123449, 0.123441)).toEqual([0.1234, 0.1235]);
    expect(roundBrush(-0.00123456, 0)).toEqual([-0.001235, 0]);
  });
});
