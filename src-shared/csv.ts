/**
 * CSV that spreadsheets, papers and pandas accept: RFC 4180 (comma separated, CRLF line ends, fields
 * quoted when they contain a comma, quote, CR or LF, quotes doubled). Columns are typed: numbers are
 * written as numbers (NaN as `NaN`, infinities as `Infinity`/`-Infinity`, negatives untouched), and
 * text cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe, as
 * OWASP recommends: cells that begin with =, +, -, @, tab, CR or LF, and cells where =, +, - or @
 * follows leading blanks (spaces, tabs, line breaks, NBSP, BOM, zero-width space or any other
 * Unicode space), which spreadsheets skip before deciding that a cell is a formula.
 */

export type CsvKind = 'number' | 'text';

export interface CsvColumn<Row> {
  header: string;
  kind: CsvKind;
  value: (row: Row) => unknown;
}

/** A formula starter at the start, or after leading blanks (`\s` covers NBSP, BOM and Unicode spaces). */
const FORMULA = /^(?:[\t\r\n]|[\s\u200b]*[=+\-@])/;

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** One text cell: neutralised when it could start a formula, then quoted as needed. */
export function textCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return quote(FORMULA.test(s) ? `'${s}` : s);
}

/** One number cell; empty when there is no value. */
export function numberCell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => textCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => (c.kind === 'number' ? numberCell(c.value(row)) : textCell(c.value(row)))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
