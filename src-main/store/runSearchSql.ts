import { completeStoredConfig, DEFAULT_TRAIN_CONFIG, LATER_FIELD_DEFAULTS, type TrainConfig } from '../../src-shared/config';
import { configSearchText } from '../../src-shared/configSummary';
import { ValidationError } from '../../src-shared/errors';
import { matchesText, parseRunSearch, type FieldTerm, type TextTerm } from '../../src-shared/runSearch';
import type { Db } from './database';

/** Config summaries by config hash (a summary never depends on the seed): a sweep of 10,000 runs has a few hundred. */
const SUMMARIES = new Map<string, string>();
const MAX_SUMMARIES = 20_000;

function summaryOf(hash: string, configJson: string): string {
  let s = SUMMARIES.get(hash);
  if (s === undefined) {
    try {
      s = configSearchText(completeStoredConfig(JSON.parse(configJson) as TrainConfig));
    } catch {
      s = '';
    }
    if (SUMMARIES.size >= MAX_SUMMARIES) SUMMARIES.clear();
    SUMMARIES.set(hash, s);
  }
  return s;
}

let lastTermsJson = '';
let lastTerms: TextTerm[] = [];

/**
 * The SQL functions the search uses: run_summary(config_hash, config_json), the configuration text
 * the History table shows (describeConfig, with "lr" for γ: configSearchText), and search_match(text, terms_json), whether that text
 * holds every free-text term (matchesText). Both are plain functions of their arguments.
 */
export function registerSearchFunctions(db: Db): void {
  db.function('run_summary', { deterministic: true }, (hash: unknown, json: unknown) => summaryOf(String(hash), String(json)));
  db.function('search_match', { deterministic: true }, (text: unknown, termsJson: unknown) => {
    const json = String(termsJson);
    if (json !== lastTermsJson) {
      lastTerms = JSON.parse(json) as TextTerm[];
      lastTermsJson = json;
    }
    return matchesText(String(text ?? ''), lastTerms) ? 1 : 0;
  });
}

/** What the table shows of a run, one part a line: id, status, experiment name, summary, tags, notes. */
function visibleTextSql(statusSql: string): string {
  const nl = 'char(10)';
  return [
    "'#' || runs.id",
    statusSql,
    "COALESCE((SELECT name FROM experiments WHERE experiments.id = runs.experiment_id), '')",
    'run_summary(runs.config_hash, runs.config_json)',
    "COALESCE((SELECT group_concat(tag, char(10)) FROM tags t WHERE t.entity = 'run' AND t.entity_id = runs.id), '')",
    'runs.notes',
  ].join(` || ${nl} || `);
}

const SQL_OP = { '=': '=', '>': '>', '<': '<', '>=': '>=', '<=': '<=' } as const;
const real = (column: string): string => `(CASE WHEN typeof(${column}) = 'real' THEN ${column} END)`;
const like = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The SQL value a numeric or choice field term compares (only names from this file are spliced in). */
function columnOf(field: FieldTerm['field']): string {
  switch (field) {
    case 'id': return 'runs.id';
    case 'experiment': return 'runs.experiment_id';
    case 'seed': return 'runs.seed';
    case 'finalAccuracy': return real('runs.final_test_accuracy');
    case 'bestAccuracy': return real('runs.best_test_accuracy');
    case 'finalLoss': return real('runs.final_test_loss');
  }
  if (!(field in DEFAULT_TRAIN_CONFIG)) throw new Error(`no column for ${field}`);
  const value = `json_extract(runs.config_json, '$.${field}')`;
  // a config stored before a field existed holds that field's default
  const later = LATER_FIELD_DEFAULTS[field as keyof TrainConfig];
  return later === undefined ? value : `COALESCE(${value}, '${String(later)}')`;
}

function fieldSql(t: FieldTerm, statusSql: (status: string) => { sql: string; params: (string | number)[] }): { sql: string; params: (string | number)[] } {
  switch (t.field) {
    case 'status': return statusSql(String(t.value));
    case 'tag': return { sql: "EXISTS (SELECT 1 FROM tags t WHERE t.entity = 'run' AND t.entity_id = runs.id AND t.tag = ? COLLATE NOCASE)", params: [String(t.value)] };
    case 'notes': return { sql: "runs.notes LIKE ? ESCAPE '\\'", params: [like(String(t.value))] };
    case 'experimentName':
      return { sql: "EXISTS (SELECT 1 FROM experiments e WHERE e.id = runs.experiment_id AND e.name LIKE ? ESCAPE '\\')", params: [like(String(t.value))] };
  }
  const column = columnOf(t.field);
  if (t.op === 'between') return { sql: `${column} BETWEEN ? AND ?`, params: [t.value, t.to ?? t.value] };
  if (t.op === 'contains') return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [like(String(t.value))] };
  return { sql: `${column} ${SQL_OP[t.op]} ?`, params: [t.value] };
}

/**
 * The WHERE terms of a History search (see parseRunSearch), ANDed: field terms as plain SQL on
 * columns and config values, the free text through search_match over what the table shows.
 * Throws a ValidationError at `search` for text that does not parse.
 */
export function searchSql(text: string, statusSql: string, statusFilter: (status: string) => { sql: string; params: (string | number)[] }): { sql: string[]; params: (string | number)[] } {
  const parsed = parseRunSearch(text);
  if ('error' in parsed) throw new ValidationError([{ path: 'search', message: parsed.error }], 'Invalid search');
  const sql: string[] = [];
  const params: (string | number)[] = [];
  for (const t of parsed.terms) {
    if (t.kind !== 'field') continue;
    const f = fieldSql(t, statusFilter);
    sql.push(t.negate ? `NOT COALESCE((${f.sql}), 0)` : `(${f.sql})`);
    params.push(...f.params);
  }
  const words = parsed.terms.filter((t): t is TextTerm => t.kind === 'text');
  if (words.length) {
    sql.push(`search_match(${visibleTextSql(statusSql)}, ?)`);
    params.push(JSON.stringify(words));
  }
  return { sql, params };
}
