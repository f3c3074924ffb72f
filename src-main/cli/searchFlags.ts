import { ValidationError } from '../../src-shared/errors';
import type { ParsedArgs } from './args';

/** Options of `workbench sweep` that set the search part of the spec file (see SEARCH_HELP). */
export const SEARCH_OPTIONS = ['strategy', 'trials', 'search-seed', 'min-epochs', 'reduction-factor', 'asha-metric', 'direction'] as const;
export const SEARCH_FLAGS = ['asha', 'preview'] as const;

/** Each option and the spec path it sets (a refusal at that path names the option). */
const PATHS: Record<(typeof SEARCH_OPTIONS)[number], string> = {
  strategy: 'strategy',
  trials: 'random.trials',
  'search-seed': 'random.seed',
  'min-epochs': 'asha.minEpochs',
  'reduction-factor': 'asha.reductionFactor',
  'asha-metric': 'asha.metric',
  direction: 'asha.direction',
};

export const SEARCH_HELP = [
  'Search (override or add to the spec file):',
  '  --strategy grid|random   grid: every combination of the axes (the default); random: --trials configurations',
  '                           drawn from the spec\'s random.fields distributions, its axes drawn as choices',
  '  --trials N               configurations to draw (random)       --search-seed N   the draws\' seed (random, default 0)',
  '  --asha                   stop configurations early on the mean over their seeds (asynchronous successive halving)',
  '  --min-epochs N           the first rung (ASHA, default 1)      --reduction-factor N   η: 1 in η goes on at each rung (default 3)',
  '  --asha-metric M          testAccuracy (default), testLoss, trainAccuracy, trainLoss or objective; --direction max|min',
  '  --preview                print the runs, the most epochs the sweep trains and how long it should take (from this',
  '                           machine\'s measured epochs, on --workers N or one per core), queue nothing',
].join('\n');

/** An option's text as JSON: whole numbers as numbers (the spec's schema says what else it expects). */
const value = (text: string): string | number => (/^\d+$/.test(text) ? Number(text) : text);

/**
 * The spec with the search options applied: --strategy sets strategy, --trials and --search-seed set
 * random (and imply strategy random), --asha or any ASHA option adds asha.
 */
export function applySearchFlags(spec: unknown, args: ParsedArgs): unknown {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return spec;
  const out = { ...(spec as Record<string, unknown>) };
  const opt = (name: (typeof SEARCH_OPTIONS)[number]): string | undefined => args.options.get(name);
  const strategy = opt('strategy');
  if (strategy !== undefined) out.strategy = strategy;
  const trials = opt('trials');
  const seed = opt('search-seed');
  if (trials !== undefined || seed !== undefined) {
    out.strategy ??= 'random';
    out.random = { ...(out.random as object), ...(trials !== undefined ? { trials: value(trials) } : {}), ...(seed !== undefined ? { seed: value(seed) } : {}) };
  }
  const ashaOptions = { minEpochs: opt('min-epochs'), reductionFactor: opt('reduction-factor'), metric: opt('asha-metric'), direction: opt('direction') };
  const given = Object.entries(ashaOptions).filter(([, v]) => v !== undefined).map(([k, v]) => [k, k === 'metric' || k === 'direction' ? v : value(v!)]);
  if (args.flags.has('asha') || given.length) out.asha = { ...(out.asha as object), ...Object.fromEntries(given) };
  return out;
}

/** A refusal of the spec, its paths named by the options that set them (`--trials` rather than random.trials). */
export function nameOptions(e: ValidationError, args: ParsedArgs): ValidationError {
  const byPath = new Map(SEARCH_OPTIONS.filter((o) => args.options.has(o)).map((o) => [PATHS[o], `--${o}`]));
  if (!e.issues.some((i) => byPath.has(i.path))) return e;
  return new ValidationError(e.issues.map((i) => ({ ...i, path: byPath.get(i.path) ?? i.path })), 'Invalid sweep');
}
