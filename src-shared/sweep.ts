import { z } from 'zod';
import { CONFIG_FIELD_HELP, DEFAULT_TRAIN_CONFIG, describeIssues, forbiddenKeys, LATER_FIELD_DEFAULTS, trainConfigFieldsSchema, trainConfigSchema, type TrainConfig } from './config';
import { ValidationError, type FieldIssue } from './errors';
import { memoryProblem, type MemoryFields } from './trainMemory';
import { MAX_AXIS_VALUES, MAX_SWEEP_RUNS } from './search/limits';
import { ashaIssues, randomMemoryIssues } from './search/pointChecks';
import { previewOf, type SweepPreview } from './search/preview';
import { ashaSpecSchema, randomSpecSchema, searchIssues, searchPoints, STRATEGIES, trialIssues } from './search/searchSpec';

export { MAX_AXIS_VALUES, MAX_SWEEP_RUNS } from './search/limits';

const configFields = Object.keys(DEFAULT_TRAIN_CONFIG) as [keyof TrainConfig, ...(keyof TrainConfig)[]];

/**
 * A sweep: a base config, axes (a config field and the values it takes) and repeats. Runs are the
 * product of the axes × repeats; repeat r of every grid point uses seed base.seed + r, so configs
 * are compared on the same seeds. `strategy: "random"` draws `random.trials` configurations instead
 * (see search/searchSpec.ts); `asha` stops configurations early on the mean over their seeds
 * (search/asha.ts). Specs without these fields are grids, exactly as before they existed.
 */
export const sweepSpecSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).default(''),
    base: z.record(z.string(), z.unknown()).default({}),
    axes: z
      .array(
        z.object({
          field: z.enum(configFields).refine((f) => f !== 'seed', 'seed is set by repeats; use base.seed to shift them'),
          values: z.array(z.unknown()).min(1).max(MAX_AXIS_VALUES),
        }).strict(),
      )
      .max(8)
      .default([]),
    repeats: z.int().min(1).max(1000).default(1),
    /** Queued runs of a higher-priority sweep start first (ties: oldest first); -100–100, default 0. */
    priority: z.int().min(-100).max(100).default(0),
    strategy: z.enum(STRATEGIES).optional(),
    random: randomSpecSchema.optional(),
    asha: ashaSpecSchema.optional(),
  })
  .strict();

export type SweepSpec = z.output<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;

/** One run of an expanded sweep. */
export interface PlannedRun {
  config: TrainConfig;
  repeatIndex: number;
  /** The axis values of this grid point (or the values drawn for this trial), by field. */
  point: Partial<Record<keyof TrainConfig, unknown>>;
}

const AXIS_HELP: Record<string, string> = { name: 'a non-empty name', repeats: 'an integer 1–1000', axes: 'at most 8 axes, each { field, values: [..] }' };

/**
 * Issues in the base config and the axis values, for whatever parts of a spec have the right shape.
 * Whether runs fit in memory depends on the grid point, so that is left to memoryIssues.
 */
function contentIssues(base: unknown, axes: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof base === 'object' && base !== null && !Array.isArray(base)) {
    const parsed = trainConfigFieldsSchema.safeParse(base);
    if (!parsed.success) issues.push(...describeIssues(parsed.error.issues, CONFIG_FIELD_HELP).map((i) => ({ ...i, path: `base.${i.path}` })));
  }
  if (!Array.isArray(axes)) return issues;
  const seen = new Set<string>();
  axes.forEach((axis: unknown, a) => {
    const { field, values } = (axis ?? {}) as { field?: unknown; values?: unknown };
    // own keys only: 'toString' or '__proto__' are not fields (the spec schema reports them at axes.N.field)
    if (typeof field !== 'string' || !Object.hasOwn(trainConfigFieldsSchema.shape, field) || !Array.isArray(values)) return;
    if (seen.has(field)) issues.push({ path: `axes.${a}.field`, message: `${field} appears in two axes` });
    seen.add(field);
    const schema = trainConfigFieldsSchema.shape[field as keyof TrainConfig];
    const firstAt = new Map<string, number>();
    values.forEach((value, v) => {
      const one = schema.safeParse(value);
      if (!one.success) {
        const [first] = describeIssues(one.error.issues.map((i) => ({ ...i, path: [field] })), CONFIG_FIELD_HELP);
        issues.push({ path: `axes.${a}.values.${v}`, message: `${field}: ${first.message}` });
        return;
      }
      // the same value twice would queue the same runs twice under one grid point
      const key = JSON.stringify(one.data);
      const earlier = firstAt.get(key);
      if (earlier === undefined) firstAt.set(key, v);
      else issues.push({ path: `axes.${a}.values.${v}`, message: `${field}: ${formatValue(one.data)} is already value ${earlier + 1} of this axis; each value is run once per repeat, so remove one` });
    });
  });
  return issues;
}

/**
 * Checks the spec's shape, then every base field and axis value against the config schema, and
 * reports every problem at once, each named by its path (`base.learningRate`, `axes.1.values.2`).
 */
export function parseSweepSpec(input: unknown): { spec: SweepSpec; count: number } {
  const parsed = sweepSpecSchema.safeParse(input);
  const raw = (typeof input === 'object' && input !== null ? input : {}) as { base?: unknown; axes?: unknown; strategy?: unknown; random?: unknown; asha?: unknown };
  const issues: FieldIssue[] = [...forbiddenKeys(input), ...contentIssues(raw.base ?? {}, raw.axes), ...searchIssues(raw, raw.axes)];
  // the search fields are reported by searchIssues, with their own help
  const own = (i: { path: PropertyKey[] }): boolean => !['strategy', 'random', 'asha'].includes(String(i.path[0]));
  if (!parsed.success) issues.push(...describeIssues(parsed.error.issues.filter(own), AXIS_HELP));
  if (issues.length || !parsed.success) throw new ValidationError(dedupe(issues), 'Invalid sweep');
  const spec = parsed.data;
  const random = spec.strategy === 'random' ? spec.random : undefined;
  const trials = random ? trialIssues(spec.axes, random, spec.repeats) : [];
  if (trials.length) throw new ValidationError(trials, 'Invalid sweep');
  const count = (random ? random.trials : spec.axes.reduce((n, axis) => n * axis.values.length, 1)) * spec.repeats;
  if (count > MAX_SWEEP_RUNS) throw new ValidationError([{ path: 'repeats', message: tooManyRuns(spec, count) }], 'Invalid sweep');
  const base = trainConfigFieldsSchema.parse(spec.base);
  const points = random || spec.asha ? searchPoints(spec) : [];
  const memory = random ? randomMemoryIssues(base, points, random, spec.axes) : memoryIssues(spec);
  if (memory.length) throw new ValidationError(memory, 'Invalid sweep');
  const asha = spec.asha ? ashaIssues(base, points, spec.asha) : [];
  if (asha.length) throw new ValidationError(asha, 'Invalid sweep');
  return { spec, count };
}

/** The runs, configurations and epochs a valid sweep will train at most (see search/preview.ts). */
export function sweepPreview(spec: SweepSpec): SweepPreview {
  const base = trainConfigFieldsSchema.parse(spec.base);
  const epochs = searchPoints(spec).map((p) => (typeof p.epochs === 'number' ? p.epochs : base.epochs));
  return previewOf(epochs, spec.repeats, spec.asha);
}

const thousands = (n: number): string => n.toLocaleString('en-US');
const formatValue = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

/** "100 × 3 values × 40 repeats = 12,000 runs, more than …": the count, where it comes from, the limit. */
function tooManyRuns(spec: SweepSpec, count: number): string {
  const values = spec.axes.map((a) => thousands(a.values.length)).join(' × ');
  const repeats = `${thousands(spec.repeats)} ${spec.repeats === 1 ? 'repeat' : 'repeats'}`;
  return `${values ? `${values} values × ` : ''}${repeats} = ${thousands(count)} runs, more than the ${thousands(MAX_SWEEP_RUNS)} a sweep may hold: use fewer values or repeats`;
}

const MEMORY_FIELDS: readonly (keyof MemoryFields)[] = ['hidden', 'batchSize', 'optimizer', 'momentum', 'kernel'];

/**
 * Every grid point whose runs would not fit in memory, reported once per blamed input: the value of
 * the axis that matters most (hidden before batch size before optimizer …; the message names the
 * batch size and optimizer of the point), or base.hidden when no axis changes the memory. Only for
 * a spec that passed every other check, so the grid is at most MAX_SWEEP_RUNS points.
 */
function memoryIssues(spec: SweepSpec): FieldIssue[] {
  const base = trainConfigFieldsSchema.parse(spec.base);
  const axes = spec.axes
    .map((axis, index) => ({ ...axis, index, rank: MEMORY_FIELDS.indexOf(axis.field as keyof MemoryFields) }))
    .filter((axis) => axis.rank >= 0)
    .sort((a, b) => a.rank - b.rank);
  const issues = new Map<string, string>();
  const visit = (i: number, config: MemoryFields, picked: number[]): void => {
    if (i < axes.length) {
      axes[i].values.forEach((value, v) => visit(i + 1, { ...config, [axes[i].field]: value }, [...picked, v]));
      return;
    }
    const problem = memoryProblem(config);
    if (!problem) return;
    if (!axes.length) return void issues.set('base.hidden', problem);
    const path = `axes.${axes[0].index}.values.${picked[0]}`;
    if (!issues.has(path)) issues.set(path, `${axes[0].field}: ${problem}`);
  };
  visit(0, base, []);
  return [...issues].map(([path, message]) => ({ path, message }));
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(`${i.path}|${i.message}`) && seen.add(`${i.path}|${i.message}`) !== undefined);
}

/** Every run of a valid sweep, grid points in axis order (or trials in the order drawn), repeats innermost. */
export function expandSweep(spec: SweepSpec): PlannedRun[] {
  // the base alone need not fit in memory when axes replace what makes it too large
  const base = trainConfigFieldsSchema.parse(spec.base);
  const points = searchPoints(spec) as Partial<Record<keyof TrainConfig, unknown>>[];
  const runs: PlannedRun[] = [];
  for (const point of points) {
    for (let r = 0; r < spec.repeats; r++) {
      const config = trainConfigSchema.parse({ ...base, ...point, seed: (base.seed + r) % 2 ** 32 });
      runs.push({ config, repeatIndex: r, point });
    }
  }
  return runs;
}

/**
 * A stable key of a config: its fields in a fixed order, as JSON (hashed by the store). Fields added
 * later are left out while at their default, so a run stored before such a field existed keeps its
 * hash and still groups with the same config queued today.
 */
export function configKey(config: TrainConfig, omitSeed = false): string {
  const atLaterDefault = (f: keyof TrainConfig): boolean => f in LATER_FIELD_DEFAULTS && (config[f] === undefined || config[f] === LATER_FIELD_DEFAULTS[f]);
  const fields = configFields.filter((f) => !(omitSeed && f === 'seed') && !atLaterDefault(f));
  return JSON.stringify(fields.map((f) => [f, config[f]]));
}
