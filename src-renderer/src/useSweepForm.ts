import { computed, reactive, ref } from 'vue';
import { CONFIG_FIELD_HELP, DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src-shared/config';
import { fieldKind, formatFieldValue, parseFieldText } from '../../src-shared/configText';
import { ValidationError } from '../../src-shared/errors';
import { appliesOnlyTo, FIELD_LABELS, fieldApplies } from '../../src-shared/fieldLabels';
import { logRange, PRESETS } from '../../src-shared/presets';
import { MAX_SWEEP_RUNS, parseSweepSpec, type SweepSpecInput } from '../../src-shared/sweep';
import { plainMessage } from './plainMessage';
import { isSearchText, useSearchStrategy, type SearchText } from './useSearchStrategy';

export type Field = keyof TrainConfig;
export const FIELDS = (Object.keys(DEFAULT_TRAIN_CONFIG) as Field[]).filter((f) => f !== 'seed');
/** Fields in the collapsed Advanced part: how a run is computed, not what is trained. */
export const ADVANCED_FIELDS: readonly Field[] = ['kernel'];
/** Fields of the Base configuration card and of the axes: the model and its training. */
export const MODEL_FIELDS = FIELDS.filter((f) => !ADVANCED_FIELDS.includes(f));

/** The fields an axis may pick in the form: the model fields, plus its own if a loaded spec set another. */
export function axisFields(current: Field): Field[] {
  return (MODEL_FIELDS as Field[]).includes(current) ? MODEL_FIELDS : [current, ...MODEL_FIELDS];
}

/** The allowed words of a choice field, read from its help text (e.g. "sgd or adam"). */
export const CHOICES: Partial<Record<Field, string[]>> = {
  activation: ['sigmoid', 'tanh', 'relu'],
  init: ['lecun', 'xavier', 'he'],
  optimizer: ['sgd', 'adam'],
  schedule: ['constant', 'exponential', 'step', 'cosine'],
  normalization: ['scale', 'standardize'],
};

/** The log-range helper fills numeric axes only (not choices such as optimizer, nor layer lists). */
export const takesLogRange = (field: Field): boolean => fieldKind(field) === 'number';

/** The values typed in an axis, one item per value (list-valued fields take ';'-separated lists). */
export function axisItems(axis: { field: Field; values: string }): string[] {
  return axis.values.split(fieldKind(axis.field) === 'list' ? ';' : ',').map((v) => v.trim()).filter((v) => v !== '');
}

/** A base field that does not apply to any run of the sweep, with the text kept for when it does. */
export interface UnusedField {
  field: Field;
  text: string;
  /** "SGD only", "exponential schedule only". */
  only: string;
}

/** Everything typed into the form, as typed (text that does not parse yet included): what a draft keeps. */
export interface FormText {
  name: string;
  description: string;
  repeats: string;
  seed: string;
  base: Record<Field, string>;
  axes: { field: Field; values: string }[];
  /** Strategy, random search and ASHA (absent in drafts kept before they existed: a grid). */
  search?: SearchText;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isField = (v: unknown): v is Field => typeof v === 'string' && Object.hasOwn(DEFAULT_TRAIN_CONFIG, v);

/** Whether a value read back from storage is a FormText this version of the form can show. */
export function isFormText(v: unknown): v is FormText {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<Record<keyof FormText, unknown>>;
  const base = t.base as Record<string, unknown> | undefined;
  return [t.name, t.description, t.repeats, t.seed].every(isText)
    && typeof base === 'object' && base !== null && Object.entries(base).every(([k, x]) => isField(k) && isText(x))
    && Array.isArray(t.axes) && t.axes.every((a: unknown) => typeof a === 'object' && a !== null && isField((a as { field?: unknown }).field) && isText((a as { values?: unknown }).values))
    && (t.search === undefined || isSearchText(t.search));
}

/**
 * The New experiment form as text the user types, turned into a sweep spec and checked with the
 * same validation the main process applies, so every message appears beside its input before
 * anything is submitted. `nativeUnavailable` says why this machine has no native kernels (null
 * when it has them), so asking for them is marked at the field instead of failing every run.
 */
export function useSweepForm(options: { nativeUnavailable?: () => string | null } = {}) {
  const name = ref('');
  const description = ref('');
  const repeats = ref('10');
  const seed = ref('0');
  const base = reactive(Object.fromEntries(FIELDS.map((f) => [f, formatFieldValue(DEFAULT_TRAIN_CONFIG[f])])) as Record<Field, string>);
  const axes = ref<{ field: Field; values: string }[]>([]);
  const search = useSearchStrategy();

  function load(spec: SweepSpecInput): void {
    name.value = spec.name;
    description.value = spec.description ?? '';
    repeats.value = String(spec.repeats ?? 1);
    for (const f of FIELDS) base[f] = formatFieldValue(spec.base?.[f] ?? DEFAULT_TRAIN_CONFIG[f]);
    seed.value = String(spec.base?.seed ?? 0);
    axes.value = (spec.axes ?? []).map((a) => ({ field: a.field as Field, values: a.values.map(formatFieldValue).join(', ') }));
    search.load(spec);
  }

  /** The form's text, to keep as a draft. */
  function snapshot(): FormText {
    return { name: name.value, description: description.value, repeats: repeats.value, seed: seed.value, base: { ...base }, axes: axes.value.map((a) => ({ ...a })), search: search.snapshot() };
  }

  /** Puts a kept draft back as it was typed; fields the draft does not have keep their defaults. */
  function restore(text: FormText): void {
    name.value = text.name;
    description.value = text.description;
    repeats.value = text.repeats;
    seed.value = text.seed;
    for (const f of FIELDS) base[f] = text.base[f] ?? formatFieldValue(DEFAULT_TRAIN_CONFIG[f]);
    axes.value = text.axes.map((a) => ({ ...a }));
    search.restore(text.search);
  }

  /**
   * The optimizers and schedules the sweep's runs will have: an axis's values when one sweeps them,
   * else the base's. Settings of another optimizer or schedule (momentum for Adam, k without decay)
   * change nothing in training, so the form hides them.
   */
  const inUse = computed(() => {
    const values = (f: 'optimizer' | 'schedule'): string[] => {
      const axis = axes.value.find((a) => a.field === f);
      const items = axis ? axisItems(axis) : [];
      return items.length ? items : [base[f]];
    };
    return { optimizer: values('optimizer'), schedule: values('schedule') };
  });
  /** Whether a field changes any run of the sweep as it now stands (see inUse). */
  const applies = (f: Field): boolean => fieldApplies(f, inUse.value);
  /** Hidden fields whose text differs from the default: kept in the form and its draft, and said so. */
  const unused = computed<UnusedField[]>(() =>
    FIELDS.filter((f) => !applies(f) && base[f].trim() !== formatFieldValue(DEFAULT_TRAIN_CONFIG[f])).map((f) => ({ field: f, text: base[f], only: appliesOnlyTo(f) ?? '' })),
  );

  const result = computed(() => {
    const errors: Record<string, string> = {};
    const baseValues: Record<string, unknown> = {};
    for (const f of [...FIELDS, 'seed' as Field]) {
      // a hidden field is sent at its default: what it holds changes no run, and would only split
      // groups in Compare by a setting that did nothing; its text stays in the form for when it applies
      if (f !== 'seed' && !applies(f)) {
        baseValues[f] = DEFAULT_TRAIN_CONFIG[f];
        continue;
      }
      const parsed = parseFieldText(f, f === 'seed' ? seed.value : base[f]);
      if ('error' in parsed) errors[`base.${f}`] = `${parsed.error} (allowed: ${CONFIG_FIELD_HELP[f]})`;
      // an unparseable field stands in with its default so the other fields are still checked
      baseValues[f] = 'error' in parsed ? DEFAULT_TRAIN_CONFIG[f] : parsed.value;
    }
    const noNative = baseValues.kernel === 'native' ? options.nativeUnavailable?.() : null;
    if (noNative) errors['base.kernel'] = `The native kernels are not available on this machine: ${noNative}. Choose auto or WebAssembly.`;
    const axisValues = axes.value.map((a, i) => {
      return axisItems(a).map((item, j) => {
        const parsed = parseFieldText(a.field, item);
        if ('error' in parsed) errors[`axes.${i}.values.${j}`] = `${a.field}: ${parsed.error}`;
        return 'error' in parsed ? undefined : parsed.value;
      }).filter((v) => v !== undefined);
    });
    const repeatCount = Number(repeats.value);
    const spec: SweepSpecInput = search.apply({
      name: name.value,
      description: description.value,
      base: baseValues,
      axes: axes.value.map((a, i) => ({ field: a.field, values: axisValues[i] })),
      repeats: repeats.value.trim() === '' ? NaN : repeatCount,
    });
    let count: number | null = null;
    /** Why there is no count although every field reads: the sweep holds more runs than allowed. */
    let tooMany: string | null = null;
    const textErrors = Object.keys(errors).length > 0;
    try {
      // the run count does not depend on the name: preview it before one is typed
      const checked = parseSweepSpec({ ...spec, name: spec.name.trim() || 'untitled' }).count;
      count = textErrors ? null : checked;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const issue of e.issues) errors[issue.path] ??= issue.message;
      const planned = axisValues.reduce((n, v) => n * v.length, 1) * repeatCount;
      if (!textErrors && planned > MAX_SWEEP_RUNS) tooMany = errors.repeats ?? null;
    }
    if (spec.name.trim() === '') errors.name = 'Give the experiment a name';
    return { spec, errors, count, tooMany };
  });

  /** The text a message's path points at, as typed: a base field, one value of an axis, an item of the layer list. */
  function typedAt(path: string): string | undefined {
    const [head, name, sub, index] = path.split('.');
    if (head === 'repeats') return repeats.value;
    if (head === 'base' && name === 'seed') return seed.value;
    if (head === 'base' && isField(name)) return sub === undefined ? base[name] : base[name].split(',')[Number(sub)];
    if (head === 'axes' && sub === 'values' && axes.value[Number(name)]) return axisItems(axes.value[Number(name)])[Number(index)];
    if (head === 'random' || head === 'asha') return search.typedAt(path);
    return undefined;
  }

  /** The first message for an input, matching its own path or anything below it, in plain words. */
  function errorFor(path: string): string | null {
    const e = result.value.errors;
    const key = e[path] ? path : Object.keys(e).find((k) => k.startsWith(`${path}.`));
    return key ? plainMessage(e[key], typedAt(key)) : null;
  }

  /** An axis over a field that no run uses (decay k without the exponential schedule): its runs would not differ. */
  function axisUnused(i: number): string | null {
    const a = axes.value[i];
    if (!a || applies(a.field)) return null;
    return `${FIELD_LABELS[a.field]} applies to ${appliesOnlyTo(a.field)?.replace(/ only$/, '')} runs only; as the form stands, these runs would not differ.`;
  }

  function addAxis(): void {
    axes.value.push({ field: 'learningRate', values: '' });
  }
  function removeAxis(i: number): void {
    axes.value.splice(i, 1);
  }
  function fillLogRange(i: number, from: number, to: number, n: number): string | null {
    try {
      axes.value[i].values = logRange(from, to, n).join(', ');
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  return { name, description, repeats, seed, base, axes, search, result, errorFor, applies, unused, axisUnused, load, snapshot, restore, addAxis, removeAxis, fillLogRange, presets: PRESETS };
}
