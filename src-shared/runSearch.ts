import { closestFieldName, searchFieldByName, SUGGESTED_NAMES, type SearchField, type SearchFieldSpec } from './runSearchFields';

export type CompareOp = '=' | '>' | '<' | '>=' | '<=';

/** Free text: it must appear in what the History table shows of a run (negated: must not). */
export interface TextTerm {
  kind: 'text';
  /** In lower case. */
  text: string;
  negate: boolean;
}

/** A `field:value` term, its value already read as the field's type. */
export interface FieldTerm {
  kind: 'field';
  field: SearchField;
  negate: boolean;
  /** `between` is inclusive at both ends; `contains` is for text (notes, an experiment's name). */
  op: CompareOp | 'between' | 'contains';
  /** A number (accuracies as fractions), a choice in lower case, a layer list as JSON ('[100,100]'), or text. */
  value: number | string;
  /** The upper end of `between`. */
  to?: number;
}

export type SearchTerm = TextTerm | FieldTerm;

/** The search box's text read as terms, or what is wrong with it in the user's words. */
export type ParsedSearch = { terms: SearchTerm[] } | { error: string };

/** `name:value`, `name>value`, `name:>=value` …: a name starts with a letter (so "21:38" stays text). */
const FIELD_HEAD = /^([\p{L}_][\p{L}\p{N}_]*)(:>=|:<=|:>|:<|:=|>=|<=|:|=|>|<)/u;
const OPS: Record<string, CompareOp> = { ':': '=', '=': '=', ':=': '=', '>': '>', '<': '<', '>=': '>=', '<=': '<=', ':>': '>', ':<': '<', ':>=': '>=', ':<=': '<=' };
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const SPACE = /\s/;

interface RawToken {
  negate: boolean;
  name: string | null;
  op: string | null;
  value: string;
  quoted: boolean;
}

/** Splits the text at spaces outside double quotes; `-` before a word or a quote negates it. */
function tokenize(text: string): RawToken[] {
  const tokens: RawToken[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && SPACE.test(text[i])) i++;
  };
  const readValue = (): { value: string; quoted: boolean } => {
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const value = text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end + 1;
      return { value, quoted: true };
    }
    const start = i;
    while (i < text.length && !SPACE.test(text[i])) i++;
    return { value: text.slice(start, i), quoted: false };
  };
  for (skipSpace(); i < text.length; skipSpace()) {
    const negate = text[i] === '-' && i + 1 < text.length && !/[\s\d.-]/.test(text[i + 1]);
    if (negate) i++;
    const head = FIELD_HEAD.exec(text.slice(i));
    if (!head) {
      tokens.push({ negate, name: null, op: null, ...readValue() });
      continue;
    }
    i += head[0].length;
    // "lr: 0.1": the value may come after spaces, unless it is the next field
    const before = i;
    skipSpace();
    if (i >= text.length || FIELD_HEAD.test(text.slice(i))) i = before;
    tokens.push({ negate, name: head[1], op: head[2], ...readValue() });
  }
  return tokens;
}

const fieldList = `${SUGGESTED_NAMES.join(', ')} or any config name`;

function readNumber(name: string, text: string): number | string {
  if (!DECIMAL.test(text.trim())) return `${name} needs a number, e.g. ${name}:0.1, ${name}>0.01 or ${name}:0.01..0.1 — '${text}' is not one`;
  return Number(text);
}

/** Reads one `field:value` term; a string is what is wrong with it. */
function fieldTerm(spec: SearchFieldSpec, typedName: string, rawOp: string, value: string, negate: boolean): FieldTerm | string {
  const op = OPS[rawOp];
  const name = typedName;
  if (value.trim() === '') return `${name}${rawOp} needs a value, e.g. ${example(spec)}`;
  const base = { kind: 'field' as const, field: spec.field, negate };
  if (spec.kind === 'number' || spec.kind === 'percent') {
    const scale = spec.kind === 'percent' ? 100 : 1;
    const clean = spec.kind === 'percent' ? value.replace(/%$/, '') : value;
    const range = /^(.+?)\.\.(.+)$/.exec(clean);
    if (range) {
      if (op !== '=') return `a range goes after a colon (${name}:${value}), not after ${rawOp}`;
      const [lo, hi] = [readNumber(name, range[1]), readNumber(name, range[2])];
      if (typeof lo === 'string') return lo;
      if (typeof hi === 'string') return hi;
      return { ...base, op: 'between', value: Math.min(lo, hi) / scale, to: Math.max(lo, hi) / scale };
    }
    const v = readNumber(name, clean);
    if (typeof v === 'string') return v;
    // an accuracy equals what the table shows: two decimals of a percent
    if (spec.kind === 'percent' && op === '=') return { ...base, op: 'between', value: (v - 0.005) / 100, to: (v + 0.005) / 100 };
    if (spec.field === 'experiment' || spec.field === 'id') return { ...base, op, value: v };
    return { ...base, op, value: v / scale };
  }
  if (op !== '=') return `${name} is compared with a colon (${name}:${value}); ${rawOp.replace(':', '')} is for numbers`;
  if (spec.kind === 'choice') {
    const v = value.trim().toLowerCase();
    const choices = spec.choices ?? [];
    const hit = choices.includes(v) ? v : choices.filter((c) => c.startsWith(v)).length === 1 ? choices.find((c) => c.startsWith(v))! : null;
    if (hit === null) return `${name} is ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}, not '${value}'`;
    return { ...base, op: '=', value: hit };
  }
  if (spec.kind === 'list') {
    const v = value.trim().toLowerCase();
    if (v === 'none' || v === '0' || v === '[]') return { ...base, op: '=', value: '[]' };
    const parts = v.replace(/^\[|\]$/g, '').split(/[x×,*]/);
    if (!parts.every((p) => /^\d+$/.test(p.trim()))) return `${name} needs layer widths, e.g. ${name}:100x100, ${name}:256 or ${name}:none — not '${value}'`;
    return { ...base, op: '=', value: JSON.stringify(parts.map((p) => Number(p.trim()))) };
  }
  return { ...base, op: spec.field === 'tag' ? '=' : 'contains', value: value.trim() };
}

function example(spec: SearchFieldSpec): string {
  if (spec.kind === 'choice') return `${spec.name}:${spec.choices?.[0] ?? ''}`;
  if (spec.kind === 'list') return `${spec.name}:100x100`;
  if (spec.kind === 'percent') return `${spec.name}>50`;
  if (spec.kind === 'text') return `${spec.name}:baseline`;
  return `${spec.name}:0.1`;
}

/**
 * Reads the History search: free words and "quoted phrases" (each must appear in what the table
 * shows of a run: id, status, experiment name, configuration summary, tags, notes) and
 * `field:value` terms in the user's words (`lr:0.1 optimizer:adam status:finished tag:baseline exp:7
 * acc>50 batch:64..256 -tag:bad`), combined with AND. Numbers compare as numbers (lr:0.1 is exactly
 * 0.1); accuracies are in percent. An unknown field or a value of the wrong kind is an error that
 * says what to type instead.
 */
export function parseRunSearch(text: string): ParsedSearch {
  const terms: SearchTerm[] = [];
  for (const t of tokenize(text)) {
    if (t.name === null || t.op === null) {
      if (t.value !== '') terms.push({ kind: 'text', text: t.value.toLowerCase(), negate: t.negate });
      continue;
    }
    let spec = searchFieldByName(t.name);
    if (!spec) {
      const near = closestFieldName(t.name);
      return { error: `unknown field '${t.name}'${near ? ` — did you mean ${near}?` : ''} Try ${fieldList}; put text with a colon in "quotes"` };
    }
    // exp:7 is experiment 7; exp:grid searches experiment names
    if (spec.field === 'experiment' && !DECIMAL.test(t.value.trim().split('..')[0] ?? '') && OPS[t.op] === '=') spec = { field: 'experimentName', name: t.name, kind: 'text' };
    const term = fieldTerm(spec, t.name, t.op, t.value, t.negate);
    if (typeof term === 'string') return { error: term };
    terms.push(term);
  }
  return { terms };
}

/**
 * Whether `needle` (lower case) appears in `haystack` (lower case). A needle that starts or ends
 * with a digit matches whole numbers only at that end: "0.1" finds "lr 0.1" but not "lr 0.15" or
 * "10.1"; "12" finds run #12 but not 128.
 */
export function containsText(haystack: string, needle: string): boolean {
  const left = /^\d/.test(needle);
  const right = /\d$/.test(needle);
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? '';
    const after = haystack.slice(at + needle.length, at + needle.length + 2);
    if (left && /[\d.]/.test(before)) continue;
    if (right && /^(\d|\.\d)/.test(after)) continue;
    return true;
  }
  return false;
}

/** Whether a run's visible text (any case) satisfies every free-text term. */
export function matchesText(haystack: string, terms: readonly TextTerm[]): boolean {
  const hay = haystack.toLowerCase();
  return terms.every((t) => containsText(hay, t.text) !== t.negate);
}
