import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import { describeConfig } from '../../src-shared/configSummary';

describe('describeConfig', () => {
  it('names the report defaults briefly', () => {
    expect(describeConfig(parseTrainConfig({}))).toBe('lr 0.3 · sgd · λ 0 · 100×100');
  });

  it('tells apart runs that differ only in a schedule, momentum, activation, batch or inputs', () => {
    const exp = (decay: number) => describeConfig(parseTrainConfig({ schedule: 'exponential', decay }));
    expect(exp(0.1)).toBe('lr 0.3 · sgd · λ 0 · decay k 0.1 · 100×100');
    expect(exp(0.1)).not.toBe(exp(0.01));
    expect(describeConfig(parseTrainConfig({ momentum: 0.9, hidden: [], activation: 'relu', batchSize: 128, schedule: 'step', stepSize: 5, stepFactor: 0.5 }))).toBe(
      'lr 0.3 · sgd μ 0.9 · λ 0 · step ×0.5 every 5 · no hidden layer · relu · batch 128',
    );
    expect(describeConfig(parseTrainConfig({ normalization: 'standardize', optimizer: 'adam', learningRate: 0.001 }))).toBe('lr 0.001 · adam · λ 0 · 100×100 · standardize inputs');
  });

  it('names the kernels only when a run asks for other than auto', () => {
    expect(describeConfig(parseTrainConfig({ kernel: 'auto' }))).toBe('lr 0.3 · sgd · λ 0 · 100×100');
    expect(describeConfig(parseTrainConfig({ kernel: 'wasm' }))).toBe('lr 0.3 · sgd · λ 0 · 100×100 · wasm kernels');
    expect(describeConfig(parseTrainConfig({ kernel: 'f64', batchSize: 32 }))).toBe('lr 0.3 · sgd · λ 0 · 100×100 · batch 32 · f64 kernels');
    // a config stored before the field existed
    const { kernel: _, ...stored } = parseTrainConfig({});
    expect(describeConfig(stored as ReturnType<typeof parseTrainConfig>)).toBe('lr 0.3 · sgd · λ 0 · 100×100');
  });

  it('names every other field that differs from the defaults, so no run reads like another', () => {
    expect(describeConfig(parseTrainConfig({ trainLimit: 10_000 }))).toBe('lr 0.3 · sgd · λ 0 · 100×100 · first 10,000 training images');
    expect(describeConfig(parseTrainConfig({ epochs: 2, init: 'he' }))).toBe('lr 0.3 · sgd · λ 0 · 100×100 · he init · 2 epochs');
    expect(describeConfig(parseTrainConfig({ optimizer: 'adam', adamBeta1: 0.8, adamBeta2: 0.99, adamEpsilon: 1e-6 }))).toBe(
      'lr 0.3 · adam β1 0.8 β2 0.99 ε 0.000001 · λ 0 · 100×100',
    );
    expect(describeConfig(parseTrainConfig({ schedule: 'cosine', minLearningRate: 0.01 }))).toBe('lr 0.3 · sgd · λ 0 · cosine to 0.01 · 100×100');
    // settings that do nothing for this optimizer or schedule are left out
    expect(describeConfig(parseTrainConfig({ adamBeta1: 0.5, decay: 0.1, stepSize: 3 }))).toBe('lr 0.3 · sgd · λ 0 · 100×100');
  });
});
