import { computed, reactive } from 'vue';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src-shared/config';
import { fieldKind, formatFieldValue, parseFieldText } from '../../src-shared/configText';
import { DISTRIBUTIONS } from '../../src-shared/search/randomSearch';
import { ASHA_METRICS, naturalDirection, type AshaMetric } from '../../src-shared/search/searchSpec';
import { previewLine } from '../../src-shared/search/previewText';
import { parseSweepSpec, sweepPreview, type SweepSpecInput } from '../../src-shared/sweep';

type Field = keyof TrainConfig;
export type DistributionKind = (typeof DISTRIBUTIONS)[number];

/** One distribution of a random search as typed: min and max, or values separated like an axis's. */
export interface DistributionText {
  field: Field;
  distribution: DistributionKind;
  min: string;
  max: string;
  values: string;
}

/** The search part of the New experiment form, as typed (what its draft keeps). */
export interface SearchText {
  strategy: 'grid' | 'random';
  trials: string;
  seed: string;
  fields: DistributionText[];
  asha: boolean;
  minEpochs: string;
  reductionFactor: string;
  metric: AshaMetric;
  /** '' = the metric's own direction. */
  direction: '' | 'max' | 'min';
}

export const DISTRIBUTION_LABELS: Record<DistributionKind, string> = { uniform: 'uniform', logUniform: 'log-uniform', integer: 'integer', choice: 'choice' };
export const METRIC_WORDS: Record<AshaMetric, string> = {
  testAccuracy: 'test accuracy', testLoss: 'test loss', trainAccuracy: 'training accuracy', trainLoss: 'training loss', objective: 'objective',
};

const blank = (): SearchText => ({ strategy: 'grid', trials: '20', seed: '0', fields: [], asha: false, minEpochs: '2', reductionFactor: '3', metric: 'testAccuracy', direction: '' });
const isText = (v: unknown): v is string => typeof v === 'string';

/** Whether a value read back from a draft is a SearchText this version can show. */
export function isSearchText(v: unknown): v is SearchText {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<Record<keyof SearchText, unknown>>;
  return (t.strategy === 'grid' || t.strategy === 'random') && [t.trials, t.seed, t.minEpochs, t.reductionFactor].every(isText)
    && typeof t.asha === 'boolean' && ASHA_METRICS.includes(t.metric as AshaMetric) && ['', 'max', 'min'].includes(t.direction as string)
    && Array.isArray(t.fields) && t.fields.every((d: unknown) => typeof d === 'object' && d !== null && Object.hasOwn(DEFAULT_TRAIN_CONFIG, (d as DistributionText).field)
      && DISTRIBUTIONS.includes((d as DistributionText).distribution) && [(d as DistributionText).min, (d as DistributionText).max, (d as DistributionText).values].every(isText));
}

/** Text as the number it reads as, else the text itself (the spec's validation then says what is wrong, at its path). */
function numberOf(text: string): number | string {
  const t = text.trim();
  return t !== '' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : t;
}

/** A choice's values as typed: comma-separated (layer lists: ';'), each read as the field reads it. */
function choiceValues(field: Field, text: string): unknown[] {
  const items = text.split(fieldKind(field) === 'list' ? ';' : ',').map((v) => v.trim()).filter((v) => v !== '');
  return items.map((item) => {
    const parsed = parseFieldText(field, item);
    return 'error' in parsed ? item : parsed.value;
  });
}

/**
 * Strategy (grid or random), the random search's trials, seed and distributions, and ASHA's settings,
 * typed into the form; `apply` puts them into the spec the form validates and queues.
 */
export function useSearchStrategy() {
  const text = reactive<SearchText>(blank());

  function restore(t: SearchText | undefined): void {
    Object.assign(text, blank(), t ? { ...t, fields: t.fields.map((d) => ({ ...d })) } : {});
  }

  function snapshot(): SearchText {
    return { ...text, fields: text.fields.map((d) => ({ ...d })) };
  }

  /** The search part of a spec (a preset, a cloned experiment) into the form. */
  function load(spec: SweepSpecInput): void {
    const random = spec.random;
    const asha = spec.asha;
    restore({
      ...blank(),
      strategy: spec.strategy === 'random' ? 'random' : 'grid',
      ...(random ? { trials: String(random.trials), seed: String(random.seed ?? 0) } : {}),
      fields: (random?.fields ?? []).map((d) => ({
        field: d.field as Field, distribution: d.distribution, min: d.min === undefined ? '' : String(d.min), max: d.max === undefined ? '' : String(d.max),
        values: (d.values ?? []).map(formatFieldValue).join(fieldKind(d.field as Field) === 'list' ? '; ' : ', '),
      })),
      asha: asha !== undefined,
      ...(asha ? { minEpochs: String(asha.minEpochs ?? 1), reductionFactor: String(asha.reductionFactor ?? 3), metric: asha.metric ?? 'testAccuracy', direction: asha.direction ?? '' } : {}),
    });
  }

  /** The spec with the search part as typed (a grid without ASHA adds nothing: the spec stays as before). */
  function apply(spec: SweepSpecInput): SweepSpecInput {
    const out: SweepSpecInput = { ...spec };
    if (text.strategy === 'random') {
      out.strategy = 'random';
      out.random = {
        trials: numberOf(text.trials) as number,
        seed: numberOf(text.seed) as number,
        fields: text.fields.map((d) =>
          d.distribution === 'choice'
            ? { field: d.field, distribution: d.distribution, values: choiceValues(d.field, d.values) }
            : { field: d.field, distribution: d.distribution, min: numberOf(d.min) as number, max: numberOf(d.max) as number },
        ),
      };
    }
    if (text.asha) {
      out.asha = { minEpochs: numberOf(text.minEpochs) as number, reductionFactor: numberOf(text.reductionFactor) as number, metric: text.metric, ...(text.direction ? { direction: text.direction } : {}) };
    }
    return out;
  }

  /** "36 runs (12 configurations × 3 seeds) · at most 198 epochs with ASHA …" for a spec that validates, else null. */
  function preview(spec: SweepSpecInput): string | null {
    try {
      const parsed = parseSweepSpec({ ...spec, name: spec.name.trim() || 'untitled' }).spec;
      return previewLine(parsed, sweepPreview(parsed));
    } catch {
      return null;
    }
  }

  /** The text a message's path points at, as typed (random.trials, random.fields.0.max, asha.minEpochs …). */
  function typedAt(path: string): string | undefined {
    const [head, name, index, sub, item] = path.split('.');
    if (head === 'random' && (name === 'trials' || name === 'seed')) return text[name];
    if (head === 'asha' && (name === 'minEpochs' || name === 'reductionFactor')) return text[name];
    const d = head === 'random' && name === 'fields' ? text.fields[Number(index)] : undefined;
    if (!d) return undefined;
    if (sub === 'min' || sub === 'max') return d[sub];
    if (sub === 'values') return item === undefined ? d.values : d.values.split(fieldKind(d.field) === 'list' ? ';' : ',').map((v) => v.trim()).filter((v) => v !== '')[Number(item)];
    return undefined;
  }

  function addField(): void {
    text.fields.push({ field: 'learningRate', distribution: 'logUniform', min: '0.001', max: '0.5', values: '' });
  }
  function removeField(i: number): void {
    text.fields.splice(i, 1);
  }

  /** The direction ASHA ranks in when the form leaves it to the metric. */
  const direction = computed(() => text.direction || naturalDirection(text.metric));

  return { text, restore, snapshot, load, apply, preview, typedAt, addField, removeField, direction };
}
