import { describe, expect, it } from 'vitest';
import { groupLabel } from '../../src-shared/aggregate';
import { compareDataFromRuns, groupCompare } from '../../src-shared/compareData';
import { DEFAULT_TRAIN_CONFIG, parseTrainConfig, type TrainConfig } from '../../src-shared/config';
import { seriesCsv } from '../../src-shared/exports';
import { appliesOnlyTo, FIELD_LABELS, fieldApplies, fieldValueText } from '../../src-shared/fieldLabels';
import { groupChart } from '../../src-shared/groupChart';
import { lineChartSvg } from '../../src-shared/svgChart';
import type { RunWithEpochs } from '../../src-shared/aggregate';

const fields = Object.keys(DEFAULT_TRAIN_CONFIG) as (keyof TrainConfig)[];

describe('config fields in the user words', () => {
  it('labels every field, with the report symbols', () => {
    for (const f of fields) expect(FIELD_LABELS[f]).toBeTruthy();
    expect(FIELD_LABELS.learningRate).toBe('Learning rate γ');
    expect(FIELD_LABELS.l2).toBe('L2 λ');
    expect(FIELD_LABELS.decay).toBe('Decay k');
    expect(FIELD_LABELS.adamBeta1).toBe('Adam β1');
  });

  it('names group labels "SGD · γ 0.01", not optimizer="sgd" learningRate=0.01', () => {
    const config = parseTrainConfig({ optimizer: 'sgd', learningRate: 0.01 });
    expect(groupLabel(config, ['optimizer', 'learningRate'])).toBe('SGD · γ 0.01');
    expect(groupLabel(parseTrainConfig({ optimizer: 'adam', l2: 0.001 }), ['optimizer', 'l2'])).toBe('Adam · λ 0.001');
    expect(groupLabel(config, [])).toBe('all runs');
    expect(fieldValueText('hidden', [])).toBe('no hidden layer');
    expect(fieldValueText('hidden', [100, 50])).toBe('hidden 100×50');
    expect(fieldValueText('epochs', 1)).toBe('1 epoch');
  });

  it('tells distinct values apart for every field', () => {
    const samples: Partial<Record<keyof TrainConfig, unknown[]>> = { hidden: [[], [8], [8, 8]], trainLimit: [0, 10, 10_000] };
    for (const f of fields) {
      const values = samples[f] ?? (typeof DEFAULT_TRAIN_CONFIG[f] === 'number' ? [0, 1, 0.5] : ['a', 'b']);
      expect(new Set(values.map((v) => fieldValueText(f, v))).size).toBe(values.length);
    }
  });

  it('says which optimizer and schedule a field belongs to', () => {
    const sgd = { optimizer: ['sgd'], schedule: ['constant'] };
    expect(fieldApplies('momentum', sgd)).toBe(true);
    expect(fieldApplies('adamBeta1', sgd)).toBe(false);
    expect(fieldApplies('decay', sgd)).toBe(false);
    expect(fieldApplies('adamBeta1', { optimizer: ['sgd', 'adam'], schedule: ['constant'] })).toBe(true);
    expect(fieldApplies('decay', { optimizer: ['sgd'], schedule: ['exponential'] })).toBe(true);
    expect(fieldApplies('learningRate', sgd)).toBe(true);
    expect(appliesOnlyTo('momentum')).toBe('SGD only');
    expect(appliesOnlyTo('decay')).toBe('exponential schedule only');
    expect(appliesOnlyTo('l2')).toBeNull();
  });
});

function run(id: number, config: TrainConfig, accuracy: number): RunWithEpochs {
  return {
    id, experimentId: 1, status: 'finished', seed: id, repeatIndex: 0, configHash: JSON.stringify([config.optimizer, config.learningRate]), config, epochsDone: 1,
    finalTestAccuracy: accuracy, finalTestLoss: 1, bestTestAccuracy: accuracy, bestEpoch: 1, divergedEpoch: null, error: null, createdAt: '', startedAt: null, finishedAt: null,
    requeuedFrom: null, tags: [], notes: '', resumedEpoch: null, resumeNote: null,
    epochs: [{ epoch: 1, trainLoss: 1, trainAccuracy: accuracy, objective: 1, testLoss: 1, testAccuracy: accuracy, learningRate: config.learningRate, seconds: 1 }],
  };
}

describe('compare groups, charts and the series CSV', () => {
  const runs = [
    run(1, parseTrainConfig({ optimizer: 'sgd', learningRate: 0.01 }), 0.31),
    run(2, parseTrainConfig({ optimizer: 'adam', learningRate: 0.01 }), 0.42),
  ];
  const groups = groupCompare(compareDataFromRuns(runs, 'testAccuracy'));

  it('labels groups readably and keeps the machine-readable values in columns of their own', () => {
    expect(groups.map((g) => g.label)).toEqual(['SGD', 'Adam']);
    const csv = seriesCsv(groups, 'testAccuracy').split('\r\n');
    expect(csv[0]).toBe('group,optimizer,metric,epoch,n,mean,std,se,ci95_low,ci95_high,min,max,runs_not_averaged');
    expect(csv[1].startsWith('SGD,sgd,testAccuracy,1,1,0.31,')).toBe(true);
  });

  it('shows accuracy in percent on the y axis (ticks and the unit in the axis title); loss stays as it is', () => {
    const svg = lineChartSvg(groupChart('t', groups, 'testAccuracy', 'std'));
    expect(svg).toContain('>test accuracy (%)</text>');
    const yTicks = [...svg.matchAll(/text-anchor="end">([^<]+)<\/text>/g)].map((m) => Number(m[1]));
    expect(yTicks.length).toBeGreaterThanOrEqual(2);
    for (const v of yTicks) expect(v).toBeGreaterThan(1);
    const loss = lineChartSvg(groupChart('t', groups, 'testLoss', 'std'));
    expect(loss).toContain('>test loss</text>');
  });

  it('draws on a dark background in the dark theme and on white by default', () => {
    const spec = groupChart('t', groups, 'testAccuracy', 'std');
    expect(lineChartSvg(spec)).toContain('fill="#ffffff"');
    const dark = lineChartSvg({ ...spec, theme: 'dark' });
    expect(dark).not.toContain('fill="#ffffff"');
    expect(dark).toMatch(/<svg [^>]*fill="#e6e9ed"/);
    expect(dark).toContain('<rect width="800" height="500" fill="#1e2228"/>');
  });
});
