import { z } from 'zod';
import { CONFIG_FIELD_HELP, DEFAULT_TRAIN_CONFIG, describeIssues, trainConfigFieldsSchema, type TrainConfig } from '../config';
import type { FieldIssue } from '../errors';
import { MAX_AXIS_VALUES, MAX_SWEEP_RUNS } from './limits';
import { DISTRIBUTIONS, distinctValues, samplePoints, type Distribution } from './randomSearch';

/**
 * The search part of a sweep spec: `strategy` (grid, the default, or random), `random` (trials, the
 * generator's seed, a distribution per field) and `asha` (early stopping on top of either). Shapes
 * here; what the values mean is checked by searchIssues, field by field.
 */
export const STRATEGIES = ['grid', 'random'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const ASHA_METRICS = ['testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss', 'objective'] as const;
export type AshaMetric = (typeof ASHA_METRICS)[number];

export const randomSpecSchema = z
  .object({
    trials: z.int().min(1).max(MAX_SWEEP_RUNS),
    seed: z.int().min(0).max(4294967295).default(0),
    fields: z
      .array(
        z.object({
          field: z.string(),
          distribution: z.enum(DISTRIBUTIONS),
          min: z.number().optional(),
          max: z.number().optional(),
          values: z.array(z.unknown()).min(1).max(MAX_AXIS_VALUES).optional(),
        }).strict(),
      )
      .max(16)
      .default([]),
  })
  .strict();

export const ashaSpecSchema = z
  .object({
    minEpochs: z.int().min(1).max(10000).default(1),
    reductionFactor: z.int().min(2).max(100).default(3),
    metric: z.enum(ASHA_METRICS).default('testAccuracy'),
    direction: z.enum(['max', 'min']).optional(),
  })
  .strict();

export type RandomSpec = z.output<typeof randomSpecSchema>;
export type AshaSpec = z.output<typeof ashaSpecSchema>;

/** The direction a metric is ranked in unless the spec says otherwise: accuracies up, losses down. */
export const naturalDirection = (metric: AshaMetric): 'max' | 'min' => (metric === 'testAccuracy' || metric === 'trainAccuracy' ? 'max' : 'min');

const RANDOM_HELP: Record<string, string> = {
  trials: `an integer 1–${MAX_SWEEP_RUNS.toLocaleString('en-US')}: how many configurations to draw`,
  seed: 'an integer 0–4294967295: the same seed draws the same configurations',
  fields: 'at most 16, each { field, distribution: uniform | logUniform | integer | choice, min and max, or values }',
};
const ASHA_HELP: Record<string, string> = {
  minEpochs: 'an integer ≥ 1, below the runs’ epochs: the first rung',
  reductionFactor: 'η, an integer 2–100: one configuration in η passes each rung',
  metric: ASHA_METRICS.join(', '),
  direction: 'max or min',
};

type Axis = { field: string; values: unknown[] };
/** Integer fields (batch size, epochs …): zod marks the number schema inside their default. */
const isInt = (field: string): boolean => (trainConfigFieldsSchema.shape[field as keyof TrainConfig].unwrap() as { isInt?: boolean }).isInt === true;
const isNumber = (field: string): boolean => typeof DEFAULT_TRAIN_CONFIG[field as keyof TrainConfig] === 'number' && field !== 'seed';

/** Whether a value is one a config field accepts: the field's own message when not. */
function fieldProblem(field: string, value: unknown): string | null {
  const one = trainConfigFieldsSchema.shape[field as keyof TrainConfig].safeParse(value);
  if (one.success) return null;
  const [first] = describeIssues(one.error.issues.map((i) => ({ ...i, path: [field] })), CONFIG_FIELD_HELP);
  return `${field}: ${first.message}`;
}

/** Issues of one distribution, at random.fields.i.* */
function distributionIssues(d: Record<string, unknown>, at: string, field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const push = (path: string, message: string): void => void issues.push({ path: `${at}.${path}`, message });
  if (d.distribution === 'choice') {
    if (!Array.isArray(d.values)) return [{ path: `${at}.values`, message: 'a choice needs its values: [..]' }];
    if (d.min !== undefined || d.max !== undefined) push('min', 'a choice takes values, not min and max');
    const seen = new Set<string>();
    d.values.forEach((v, i) => {
      const problem = fieldProblem(field, v);
      if (problem) push(`values.${i}`, problem);
      else if (seen.has(JSON.stringify(v))) push(`values.${i}`, `${field}: ${String(v)} is already a value of this choice`);
      seen.add(JSON.stringify(v));
    });
    return issues;
  }
  if (!isNumber(field)) return [{ path: `${at}.distribution`, message: `${field} takes ${CONFIG_FIELD_HELP[field as keyof TrainConfig]}: draw it with choice` }];
  if (d.values !== undefined) push('values', `${String(d.distribution)} takes min and max, not values`);
  if (d.distribution !== 'integer' && isInt(field)) return [...issues, { path: `${at}.distribution`, message: `${field} takes whole numbers: use integer (or choice)` }];
  for (const end of ['min', 'max'] as const) {
    const v = d[end];
    if (typeof v !== 'number') push(end, `${d.distribution} needs ${end}`);
    else if (d.distribution === 'integer' && !Number.isInteger(v)) push(end, 'an integer distribution needs whole-number ends');
    else if (d.distribution === 'logUniform' && !(v > 0)) push(end, 'a log-uniform distribution needs ends > 0');
    else {
      const problem = fieldProblem(field, v);
      if (problem) push(end, problem);
    }
  }
  if (!issues.length && !((d.min as number) < (d.max as number))) push('max', `max must be above min (${String(d.min)}); a field with one value belongs in base`);
  return issues;
}

/**
 * Issues of the search part of a spec (strategy, random, asha), each at its path, for whatever parts
 * have the right shape. `axes` are the spec's axes (a random search draws them as choices).
 */
export function searchIssues(raw: { strategy?: unknown; random?: unknown; asha?: unknown }, axes: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (raw.strategy !== undefined && !STRATEGIES.includes(raw.strategy as Strategy)) issues.push({ path: 'strategy', message: `grid or random, not ${JSON.stringify(raw.strategy)}` });
  if (raw.strategy === 'random' && raw.random === undefined) issues.push({ path: 'random', message: 'a random search needs { trials, seed, fields }' });
  if (raw.random !== undefined && raw.strategy !== 'random') issues.push({ path: 'random', message: 'only used with strategy: "random"' });
  if (raw.random !== undefined) {
    const parsed = randomSpecSchema.safeParse(raw.random);
    if (!parsed.success) issues.push(...describeIssues(parsed.error.issues, RANDOM_HELP).map((i) => ({ ...i, path: `random.${i.path}` })));
    const fields = (raw.random as { fields?: unknown }).fields;
    const axisFields = new Set(Array.isArray(axes) ? axes.map((a: { field?: unknown } | null) => a?.field) : []);
    const seen = new Set<string>();
    if (Array.isArray(fields)) {
      fields.forEach((d: unknown, i) => {
        if (typeof d !== 'object' || d === null) return;
        const { field } = d as { field?: unknown };
        const at = `random.fields.${i}`;
        if (typeof field !== 'string' || !Object.hasOwn(trainConfigFieldsSchema.shape, field)) return void issues.push({ path: `${at}.field`, message: `not a config field: ${JSON.stringify(field)}` });
        if (field === 'seed') return void issues.push({ path: `${at}.field`, message: 'seed is set by repeats; use base.seed to shift them' });
        if (seen.has(field)) issues.push({ path: `${at}.field`, message: `${field} has two distributions` });
        if (axisFields.has(field)) issues.push({ path: `${at}.field`, message: `${field} is also an axis; a random search draws an axis’s values as a choice, so give it one or the other` });
        seen.add(field);
        if (DISTRIBUTIONS.includes((d as { distribution?: never }).distribution ?? ('' as never))) issues.push(...distributionIssues(d as Record<string, unknown>, at, field));
      });
    }
  }
  if (raw.asha !== undefined) {
    const parsed = ashaSpecSchema.safeParse(raw.asha);
    if (!parsed.success) issues.push(...describeIssues(parsed.error.issues, ASHA_HELP).map((i) => ({ ...i, path: `asha.${i.path}` })));
  }
  return issues;
}

/** A random search's distributions: its axes as choices (in axis order), then its own fields. */
export function randomDistributions(axes: readonly Axis[], random: RandomSpec): Distribution[] {
  return [...axes.map((a): Distribution => ({ field: a.field, distribution: 'choice', values: a.values })), ...(random.fields as Distribution[])];
}

/** Issues of a random search whose fields cannot give `trials` different configurations. */
export function trialIssues(axes: readonly Axis[], random: RandomSpec, repeats: number): FieldIssue[] {
  const space = randomDistributions(axes, random).reduce((n, d) => n * distinctValues(d), 1);
  if (random.trials > space) return [{ path: 'random.trials', message: `these fields hold only ${space.toLocaleString('en-US')} different configurations: draw at most that many, or use strategy "grid"` }];
  if (random.trials * repeats > MAX_SWEEP_RUNS) {
    return [{ path: 'random.trials', message: `${random.trials.toLocaleString('en-US')} trials × ${repeats} repeats = ${(random.trials * repeats).toLocaleString('en-US')} runs, more than the ${MAX_SWEEP_RUNS.toLocaleString('en-US')} a sweep may hold: draw fewer trials or use fewer repeats` }];
  }
  return [];
}

/** The configurations of a search (field → value overrides of the base): the grid's product, or the random draws. */
export function searchPoints(spec: { strategy?: Strategy; axes: readonly Axis[]; random?: RandomSpec }): Record<string, unknown>[] {
  if (spec.strategy === 'random' && spec.random) return samplePoints(randomDistributions(spec.axes, spec.random), spec.random.trials, spec.random.seed);
  let points: Record<string, unknown>[] = [{}];
  for (const axis of spec.axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.field]: v })));
  return points;
}
