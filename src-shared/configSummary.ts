import { parseTrainConfig, type TrainConfig } from './config';
import { fieldValueText } from './fieldLabels';

const DEFAULTS = parseTrainConfig({});

/**
 * One line naming a run's configuration for tables and lists, in the words of Compare's group
 * labels ("SGD · γ 0.3 · λ 0 · 100×100"): always the optimizer, γ, λ and the layers; every other
 * field that matters for the run only where it differs from the report's defaults (settings of
 * another optimizer or schedule do nothing and are left out), so runs of a decay or momentum sweep,
 * or on part of the training set, can be told apart at a glance.
 */
export function describeConfig(c: TrainConfig): string {
  const parts = [optimizerText(c), `γ ${c.learningRate}`, `λ ${c.l2}`];
  if (c.schedule === 'exponential') parts.push(`decay k ${c.decay}`);
  if (c.schedule === 'step') parts.push(`step ×${c.stepFactor} every ${c.stepSize}`);
  if (c.schedule === 'cosine') parts.push(c.minLearningRate !== DEFAULTS.minLearningRate ? `cosine to γ ${c.minLearningRate}` : 'cosine');
  parts.push(c.hidden.length ? c.hidden.join('×') : 'no hidden layer');
  if (c.activation !== DEFAULTS.activation) parts.push(c.activation);
  if (c.init !== DEFAULTS.init) parts.push(`${c.init} init`);
  if (c.batchSize !== DEFAULTS.batchSize) parts.push(`batch ${c.batchSize}`);
  if (c.epochs !== DEFAULTS.epochs) parts.push(`${c.epochs} ${c.epochs === 1 ? 'epoch' : 'epochs'}`);
  if (c.normalization !== DEFAULTS.normalization) parts.push(`${c.normalization} inputs`);
  // a 10k-image run must not read like a full 50k one
  if (c.trainLimit > 0) parts.push(`first ${c.trainLimit.toLocaleString('en-US')} training ${c.trainLimit === 1 ? 'image' : 'images'}`);
  // configs stored before the field existed have no kernel: they mean auto
  if ((c.kernel ?? DEFAULTS.kernel) !== DEFAULTS.kernel) parts.push(`${c.kernel} kernels`);
  return parts.join(' · ');
}

/**
 * What History's free-text search reads of a configuration: the line the table shows, plus
 * "lr 0.1", the ASCII spelling of γ 0.1 that is easy to type (and what that line said before).
 */
export function configSearchText(c: TrainConfig): string {
  return `${describeConfig(c)}\nlr ${c.learningRate}`;
}

/** The optimizer as group labels name it ("SGD", "Adam") with whichever of its own settings differ from the defaults (μ for SGD; β1, β2, ε for Adam). */
function optimizerText(c: TrainConfig): string {
  const name = fieldValueText('optimizer', c.optimizer);
  if (c.optimizer === 'sgd') return c.momentum > 0 ? `${name} μ ${c.momentum}` : name;
  const own = [
    c.momentum > 0 ? `μ ${c.momentum}` : '',
    c.adamBeta1 !== DEFAULTS.adamBeta1 ? `β1 ${c.adamBeta1}` : '',
    c.adamBeta2 !== DEFAULTS.adamBeta2 ? `β2 ${c.adamBeta2}` : '',
    c.adamEpsilon !== DEFAULTS.adamEpsilon ? `ε ${c.adamEpsilon}` : '',
  ].filter(Boolean);
  return [name, ...own].join(' ');
}
