import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import { configSearchText, describeConfig } from '../../src-shared/configSummary';
import { groupLabel } from '../../src-shared/aggregate';

describe('describeConfig', () => {
  it('names the report defaults briefly', () => {
    expect(describeConfig(parseTrainConfig({}))).toBe('SGD · γ 0.3 · λ 0 · 100×100');
  });

  it('tells apart runs that differ only in a schedule, momentum, activation, batch or inputs', () => {
    const exp = (decay: number) => describeConfig(parseTrainConfig({ schedule: 'exponential', decay }));
    expect(exp(0.1)).toBe('SGD · γ 0.3 · λ 0 · decay k 0.1 · 100×100');
    expect(exp(0.1)).not.toBe(exp(0.01));
    expect(describeConfig(parseTrainConfig({ momentum: 0.9, hidden: [], activation: 'relu', batchSize: 128, schedule: 'step', stepSize: 5, stepFactor: 0.5 }))).toBe(
      'SGD μ 0.9 · γ 0.3 · λ 0 · step ×0.5 every 5 · no hidden layer · relu · batch 128',
    );
    expect(describeConfig(parseTrainConfig({ normalization: 'standardize', optimizer: 'adam', learningRate: 0.001 }))).toBe('Adam · γ 0.001 · λ 0 · 100×100 · standardize inputs');
  });

  it('names the kernels only when a run asks for other than auto', () => {
    expect(describeConfig(parseTrainConfig({ kernel: 'auto' }))).toBe('SGD · γ 0.3 · λ 0 · 100×100');
    expect(describeConfig(parseTrainConfig({ kernel: 'wasm' }))).toBe('SGD · γ 0.3 · λ 0 · 100×100 · wasm kernels');
    expect(describeConfig(parseTrainConfig({ kernel: 'f64', batchSize: 32 }))).toBe('SGD · γ 0.3 · λ 0 · 100×100 · batch 32 · f64 kernels');
    // a config stored before the field existed
    const { kernel: _, ...stored } = parseTrainConfig({});
    expect(describeConfig(stored as ReturnType<typeof parseTrainConfig>)).toBe('SGD · γ 0.3 · λ 0 · 100×100');
  });

  it('names every other field that differs from the defaults, so no run reads like another', () => {
    expect(describeConfig(parseTrainConfig({ trainLimit: 10_000 }))).toBe('SGD · γ 0.3 · λ 0 · 100×100 · first 10,000 training images');
    expect(describeConfig(parseTrainConfig({ epochs: 2, init: 'he' }))).toBe('SGD · γ 0.3 · λ 0 · 100×100 · he init · 2 epochs');
    expect(describeConfig(parseTrainConfig({ optimizer: 'adam', adamBeta1: 0.8, adamBeta2: 0.99, adamEpsilon: 1e-6 }))).toBe(
      'Adam β1 0.8 β2 0.99 ε 0.000001 · γ 0.3 · λ 0 · 100×100',
    );
    expect(describeConfig(parseTrainConfig({ schedule: 'cosine', minLearningRate: 0.01 }))).toBe('SGD · γ 0.3 · λ 0 · cosine to γ 0.01 · 100×100');
    // settings that do nothing for this optimizer or schedule are left out
    expect(describeConfig(parseTrainConfig({ adamBeta1: 0.5, decay: 0.1, stepSize: 3 }))).toBe('SGD · γ 0.3 · λ 0 · 100×100');
  });

  it("speaks as Compare's group labels do: the optimizer as they name it, γ and λ", () => {
    const c = parseTrainConfig({ optimizer: 'adam', learningRate: 0.01 });
    expect(describeConfig(c).startsWith(`${groupLabel(c, ['optimizer', 'learningRate', 'l2'])} · `)).toBe(true);
    expect(describeConfig(c)).not.toMatch(/\blr\b|\bsgd\b|\badam\b/);
  });

  it('gives the search the same line, and "lr" for γ that is easy to type', () => {
    const c = parseTrainConfig({ learningRate: 0.1 });
    expect(configSearchText(c)).toBe(`${describeConfig(c)}\nlr 0.1`);
  });
});
