import { parseTrainConfig, type TrainConfig } from './config';

const DEFAULTS = parseTrainConfig({});

/**
 * One line naming a run's configuration for tables and lists: always γ, optimizer, λ and the
 * layers; anything else only where it differs from the report's defaults, so runs of a decay or
 * momentum sweep can be told apart at a glance.
 */
export function describeConfig(c: TrainConfig): string {
  const parts = [`lr ${c.learningRate}`, c.momentum > 0 ? `${c.optimizer} μ ${c.momentum}` : c.optimizer, `λ ${c.l2}`];
  if (c.schedule === 'exponential') parts.push(`decay k ${c.decay}`);
  if (c.schedule === 'step') parts.push(`step ×${c.stepFactor} every ${c.stepSize}`);
  if (c.schedule === 'cosine') parts.push('cosine');
  parts.push(c.hidden.length ? c.hidden.join('×') : 'no hidden layer');
  if (c.activation !== DEFAULTS.activation) parts.push(c.activation);
  if (c.batchSize !== DEFAULTS.batchSize) parts.push(`batch ${c.batchSize}`);
  if (c.normalization !== DEFAULTS.normalization) parts.push(`${c.normalization} inputs`);
  // configs stored before the field existed have no kernel: they mean auto
  if ((c.kernel ?? DEFAULTS.kernel) !== DEFAULTS.kernel) parts.push(`${c.kernel} kernels`);
  return parts.join(' · ');
}
