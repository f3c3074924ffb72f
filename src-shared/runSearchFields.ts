import { DEFAULT_TRAIN_CONFIG, trainConfigFieldsSchema, type TrainConfig } from './config';
import type { RunStatus } from './runs';

/** What a run can be searched by besides its config fields. */
export type RunSearchField = 'id' | 'experiment' | 'experimentName' | 'status' | 'tag' | 'notes' | 'finalAccuracy' | 'bestAccuracy' | 'finalLoss';
export type SearchField = keyof TrainConfig | RunSearchField;

/**
 * How a field's value is typed: a number (compared, with ranges), an accuracy in percent, one of a
 * set of words, a list of layer widths, or text.
 */
export type SearchValueKind = 'number' | 'percent' | 'choice' | 'list' | 'text';

export interface SearchFieldSpec {
  field: SearchField;
  /** The name shown in messages and help (the first the user can type). */
  name: string;
  kind: SearchValueKind;
  choices?: readonly string[];
}

/** The statuses a run can be in, as `status:` accepts them. */
export const RUN_STATUSES = ['queued', 'running', 'finished', 'failed', 'cancelled', 'diverged', 'interrupted', 'waiting', 'pruned'] as const satisfies readonly RunStatus[];

/**
 * The names a user may type before the colon, in their own words: the report's symbols (γ, λ, k,
 * β1, μ, ε), short forms (lr, batch) and every config key as scripts spell it (case does not
 * matter). The first name is the one messages use.
 */
const NAMES: Record<SearchField, readonly string[]> = {
  learningRate: ['lr', 'γ', 'gamma', 'rate'],
  optimizer: ['optimizer', 'opt'],
  l2: ['λ', 'lambda'],
  decay: ['k'],
  momentum: ['μ', 'mu'],
  adamBeta1: ['β1', 'beta1'],
  adamBeta2: ['β2', 'beta2'],
  adamEpsilon: ['ε', 'eps', 'epsilon'],
  batchSize: ['batch', 'bs'],
  hidden: ['hidden', 'layers'],
  epochs: ['epochs', 'epoch'],
  seed: ['seed'],
  activation: ['activation', 'act'],
  init: ['init'],
  schedule: ['schedule'],
  stepSize: ['step'],
  stepFactor: ['factor'],
  minLearningRate: ['minlr', 'γmin'],
  normalization: ['normalization', 'norm'],
  trainLimit: ['images', 'limit'],
  kernel: ['kernel', 'kernels'],
  id: ['id', 'run'],
  experiment: ['exp', 'experiment'],
  experimentName: [],
  status: ['status', 'is'],
  tag: ['tag', 'tags'],
  notes: ['notes', 'note'],
  finalAccuracy: ['acc', 'accuracy', 'final'],
  bestAccuracy: ['best'],
  finalLoss: ['loss'],
};

/** The fields the "try …" hint of an unknown field names, most used first. */
export const SUGGESTED_NAMES = ['lr', 'optimizer', 'λ', 'k', 'β1', 'batch', 'hidden', 'epochs', 'seed', 'status', 'tag', 'exp', 'acc'] as const;

const CONFIG_FIELDS = Object.keys(DEFAULT_TRAIN_CONFIG) as (keyof TrainConfig)[];

function configKind(field: keyof TrainConfig): Pick<SearchFieldSpec, 'kind' | 'choices'> {
  const sample = DEFAULT_TRAIN_CONFIG[field];
  if (Array.isArray(sample)) return { kind: 'list' };
  if (typeof sample === 'number') return { kind: 'number' };
  const shape = trainConfigFieldsSchema.shape[field] as unknown as { unwrap(): { options: readonly string[] } };
  return { kind: 'choice', choices: shape.unwrap().options };
}

const RUN_KINDS: Record<RunSearchField, Pick<SearchFieldSpec, 'kind' | 'choices'>> = {
  id: { kind: 'number' },
  experiment: { kind: 'number' },
  experimentName: { kind: 'text' },
  status: { kind: 'choice', choices: RUN_STATUSES },
  tag: { kind: 'text' },
  notes: { kind: 'text' },
  finalAccuracy: { kind: 'percent' },
  bestAccuracy: { kind: 'percent' },
  finalLoss: { kind: 'number' },
};

/** Every field with its kind, by each name it answers to (lower case). */
export const SEARCH_FIELDS: ReadonlyMap<string, SearchFieldSpec> = (() => {
  const map = new Map<string, SearchFieldSpec>();
  for (const field of [...CONFIG_FIELDS, ...(Object.keys(RUN_KINDS) as RunSearchField[])]) {
    const kind = (CONFIG_FIELDS as string[]).includes(field) ? configKind(field as keyof TrainConfig) : RUN_KINDS[field as RunSearchField];
    const names = [...NAMES[field], ...((CONFIG_FIELDS as string[]).includes(field) ? [field.toLowerCase()] : [])];
    const spec: SearchFieldSpec = { field, name: names[0] ?? field, ...kind };
    for (const n of names) map.set(n.toLowerCase(), spec);
  }
  return map;
})();

/** The spec of a field typed as `name` (any case), or undefined. */
export const searchFieldByName = (name: string): SearchFieldSpec | undefined => SEARCH_FIELDS.get(name.toLowerCase());

/** Levenshtein distance, for "did you mean …" (short strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known name closest to a mistyped one (at most two edits away, and less than its length), or null. */
export function closestFieldName(typed: string): string | null {
  const t = typed.toLowerCase();
  let best: { name: string; d: number } | null = null;
  for (const name of SEARCH_FIELDS.keys()) {
    const d = distance(t, name);
    if (d <= 2 && d < t.length && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}
