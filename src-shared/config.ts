import { z } from 'zod';
import { ValidationError, type FieldIssue } from './errors';
import { MAX_JSON_DEPTH } from './jsonDepth';
import { memoryProblem } from './trainMemory';

/**
 * The fields of a run config, each checked on its own (sweep axes check their values against these);
 * trainConfigSchema adds the checks that need several fields.
 */
export const trainConfigFieldsSchema = z
  .object({
    hidden: z.array(z.int().min(1).max(4096)).max(8).default([100, 100]),
    activation: z.enum(['sigmoid', 'tanh', 'relu']).default('sigmoid'),
    init: z.enum(['lecun', 'xavier', 'he']).default('lecun'),
    optimizer: z.enum(['sgd', 'adam']).default('sgd'),
    learningRate: z.number().gt(0).max(100).default(0.3),
    momentum: z.number().min(0).lt(1).default(0),
    adamBeta1: z.number().min(0).lt(1).default(0.9),
    adamBeta2: z.number().min(0).lt(1).default(0.999),
    adamEpsilon: z.number().gt(0).max(1).default(1e-8),
    l2: z.number().min(0).max(10).default(0),
    schedule: z.enum(['constant', 'exponential', 'step', 'cosine']).default('constant'),
    decay: z.number().min(0).max(10).default(0),
    stepSize: z.int().min(1).max(10000).default(5),
    stepFactor: z.number().gt(0).max(1).default(0.5),
    minLearningRate: z.number().min(0).max(100).default(0),
    batchSize: z.int().min(1).max(4096).default(64),
    epochs: z.int().min(1).max(10000).default(20),
    seed: z.int().min(0).max(4294967295).default(0),
    normalization: z.enum(['scale', 'standardize']).default('scale'),
    trainLimit: z.int().min(0).max(1_000_000).default(0),
    kernel: z.enum(['auto', 'native', 'wasm', 'f64']).default('auto'),
  })
  .strict();

/** Marks the issue a config gets when its run would not fit in memory (see trainMemory.ts). */
export const MEMORY_ISSUE = 'memory';

/**
 * The full description of one training run. Flat on purpose: every field can be a sweep axis and
 * a CSV column without path syntax. Defaults are the course report's setting. A config whose run
 * cannot fit in a worker's memory is refused at `hidden`, with the figure and the limit.
 */
export const trainConfigSchema = trainConfigFieldsSchema.superRefine((config, ctx) => {
  const problem = memoryProblem(config);
  if (problem) ctx.addIssue({ code: 'custom', path: ['hidden'], message: problem, params: { kind: MEMORY_ISSUE } });
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
/** Which kernels a run asks for; the one actually used is recorded as its KernelKind. */
export type KernelChoice = TrainConfig['kernel'];
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/** What each field accepts, in words, appended to every validation message about it. */
export const CONFIG_FIELD_HELP: Record<keyof TrainConfig, string> = {
  hidden: 'a list of up to 8 layer widths, each an integer 1–4096 (empty = no hidden layer)',
  activation: 'sigmoid, tanh or relu',
  init: 'lecun (N(0, 1/fan_in)), xavier (N(0, 2/(fan_in+fan_out))) or he (N(0, 2/fan_in))',
  optimizer: 'sgd or adam',
  learningRate: 'a number > 0 and ≤ 100',
  momentum: 'a number ≥ 0 and < 1 (SGD only)',
  adamBeta1: 'a number ≥ 0 and < 1',
  adamBeta2: 'a number ≥ 0 and < 1',
  adamEpsilon: 'a number > 0 and ≤ 1',
  l2: 'λ, a number ≥ 0 and ≤ 10',
  schedule: 'constant, exponential (γ0·e^(−k·epoch)), step (γ0·factor^⌊epoch/stepSize⌋) or cosine',
  decay: 'k of the exponential schedule, a number ≥ 0 and ≤ 10',
  stepSize: 'epochs between steps of the step schedule, an integer 1–10000',
  stepFactor: 'multiplier of the step schedule, a number > 0 and ≤ 1',
  minLearningRate: 'floor of the cosine schedule, a number ≥ 0 and ≤ 100',
  batchSize: 'an integer 1–4096',
  epochs: 'an integer 1–10000',
  seed: 'an integer 0–4294967295',
  normalization: 'scale (bytes/255) or standardize (per-channel mean 0, std 1 on the training set)',
  trainLimit: 'use only the first N training images, an integer ≥ 0 (0 = all)',
  kernel: 'auto (native when its addon loaded, else WebAssembly), native, wasm or f64 (slow float64 reference)',
};

export const DEFAULT_TRAIN_CONFIG: TrainConfig = trainConfigSchema.parse({});

/**
 * Fields added after databases were already written, with the default that a stored config
 * without them had in effect (runs before `kernel` existed trained with what `auto` picked).
 */
export const LATER_FIELD_DEFAULTS: Partial<TrainConfig> = { kernel: 'auto' };

/** A config as any version stored it, with the fields added since filled in with their default. */
export function completeStoredConfig(stored: TrainConfig): TrainConfig {
  return { ...LATER_FIELD_DEFAULTS, ...stored };
}

/** Turns zod issues into field issues whose messages name the allowed values. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], help: Record<string, string>): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...issue.path, key].join('.'), message: 'unknown field' });
      continue;
    }
    const path = issue.path.map(String).join('.');
    const field = String(issue.path[0] ?? '');
    const allowed = Object.hasOwn(help, field) ? help[field] : undefined;
    const memory = issue.code === 'custom' && issue.params?.kind === MEMORY_ISSUE;
    out.push({ path, message: allowed && !memory ? `${issue.message} (allowed: ${allowed})` : issue.message });
  }
  return out;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Own keys that could pollute prototypes (`__proto__` from JSON.parse is an own key). Some schema
 * types (records) would silently drop them; every payload is checked for them explicitly. Walks
 * without recursion and reports a value nested deeper than MAX_JSON_DEPTH instead of descending,
 * so no payload can overflow the stack here.
 */
export function forbiddenKeys(value: unknown, path = ''): FieldIssue[] {
  const out: FieldIssue[] = [];
  const stack: [unknown, string, number][] = [[value, path, 0]];
  while (stack.length) {
    const [v, here, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      out.push({ path: here, message: `nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    const keys = Object.keys(v);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k];
      const at = here ? `${here}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) out.push({ path: at, message: 'unknown field' });
      else stack.push([(v as Record<string, unknown>)[key], at, depth + 1]);
    }
  }
  return out;
}

/** Validates and fills defaults; throws a ValidationError naming every bad field. */
export function parseTrainConfig(input: unknown): TrainConfig {
  const result = trainConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ValidationError(describeIssues(result.error.issues, CONFIG_FIELD_HELP), 'Invalid config');
  return result.data;
}
