import type { TrainConfig } from './config';

type Field = keyof TrainConfig;

/**
 * Each config field in the user's words, with the report's symbols (γ, λ, k, β1): the labels of the
 * New experiment form, of Compare's field pickers and of chart axes. The config key itself stays
 * the hint for people who script (CLI flags, the API, CSV columns).
 */
export const FIELD_LABELS: Record<Field, string> = {
  hidden: 'Hidden layers',
  activation: 'Activation',
  init: 'Weight init',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate γ',
  momentum: 'Momentum μ',
  adamBeta1: 'Adam β1',
  adamBeta2: 'Adam β2',
  adamEpsilon: 'Adam ε',
  l2: 'L2 λ',
  schedule: 'Schedule',
  decay: 'Decay k',
  stepSize: 'Step size (epochs)',
  stepFactor: 'Step factor',
  minLearningRate: 'Minimum γ (cosine)',
  batchSize: 'Batch size',
  epochs: 'Epochs',
  seed: 'Seed',
  normalization: 'Input normalization',
  trainLimit: 'Training images',
  kernel: 'Kernels',
};

const OPTIMIZERS: Record<string, string> = { sgd: 'SGD', adam: 'Adam' };

/**
 * One field's value as a short phrase for group labels and legends: "SGD", "γ 0.01", "λ 0.001",
 * "k 0.1", "hidden 100×100". Distinct values give distinct phrases.
 */
export function fieldValueText(field: Field, value: unknown): string {
  const v = Array.isArray(value) ? value.join('×') : String(value);
  switch (field) {
    case 'optimizer': return OPTIMIZERS[v] ?? v;
    case 'learningRate': return `γ ${v}`;
    case 'momentum': return `μ ${v}`;
    case 'adamBeta1': return `β1 ${v}`;
    case 'adamBeta2': return `β2 ${v}`;
    case 'adamEpsilon': return `ε ${v}`;
    case 'l2': return `λ ${v}`;
    case 'decay': return `k ${v}`;
    case 'schedule': return `${v} schedule`;
    case 'stepSize': return `step every ${v}`;
    case 'stepFactor': return `step ×${v}`;
    case 'minLearningRate': return `γ min ${v}`;
    case 'hidden': return v === '' ? 'no hidden layer' : `hidden ${v}`;
    case 'init': return `${v} init`;
    case 'batchSize': return `batch ${v}`;
    case 'epochs': return `${v} ${v === '1' ? 'epoch' : 'epochs'}`;
    case 'normalization': return v === 'standardize' ? 'standardized inputs' : v === 'scale' ? 'scaled inputs' : v;
    case 'trainLimit': return v === '0' ? 'all training images' : `first ${Number(v).toLocaleString('en-US')} images`;
    case 'kernel': return `${v} kernels`;
    case 'seed': return `seed ${v}`;
    case 'activation': return v;
  }
}

/** Which settings of the optimizer and the schedule only matter with one of their values. */
const APPLIES: Partial<Record<Field, { field: 'optimizer' | 'schedule'; values: readonly string[] }>> = {
  momentum: { field: 'optimizer', values: ['sgd'] },
  adamBeta1: { field: 'optimizer', values: ['adam'] },
  adamBeta2: { field: 'optimizer', values: ['adam'] },
  adamEpsilon: { field: 'optimizer', values: ['adam'] },
  decay: { field: 'schedule', values: ['exponential'] },
  stepSize: { field: 'schedule', values: ['step'] },
  stepFactor: { field: 'schedule', values: ['step'] },
  minLearningRate: { field: 'schedule', values: ['cosine'] },
};

/**
 * Whether a field changes training when the optimizer and the schedule take the given values (all
 * the values a sweep gives them): momentum only for SGD, β1, β2, ε only for Adam, k only with the
 * exponential schedule … Every other field always applies.
 */
export function fieldApplies(field: Field, values: { optimizer: readonly string[]; schedule: readonly string[] }): boolean {
  const rule = APPLIES[field];
  return !rule || values[rule.field].some((v) => rule.values.includes(v));
}

/** "SGD only", "exponential schedule only": why a field is not shown (null for a field that always applies). */
export function appliesOnlyTo(field: Field): string | null {
  const rule = APPLIES[field];
  if (!rule) return null;
  return rule.field === 'optimizer' ? `${rule.values.map((v) => OPTIMIZERS[v] ?? v).join(' or ')} only` : `${rule.values.join(' or ')} schedule only`;
}
