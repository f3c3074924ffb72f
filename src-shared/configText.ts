import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';

export type FieldKind = 'list' | 'number' | 'choice';

/** How a config field is typed as text: a comma list (hidden), a number, or one of a set of words. */
export function fieldKind(field: keyof TrainConfig): FieldKind {
  const sample = DEFAULT_TRAIN_CONFIG[field];
  return Array.isArray(sample) ? 'list' : typeof sample === 'number' ? 'number' : 'choice';
}

/** A plain decimal number: what Number() also reads as hexadecimal ('0x10' = 16), binary, octal or Infinity is refused. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const isDecimal = (text: string): boolean => DECIMAL.test(text.trim());

/**
 * Text typed for a config field (a CLI flag, a form input) → its JSON value; the config schema then
 * checks ranges. Returns an error message when the text is not even of the right type.
 */
export function parseFieldText(field: keyof TrainConfig, text: string): { value: unknown } | { error: string } {
  const kind = fieldKind(field);
  if (kind === 'list') {
    if (text.trim() === '') return { value: [] };
    const parts = text.split(',').map((p) => p.trim());
    if (parts.some((p) => p === '' || Number.isNaN(Number(p)))) return { error: `'${text}' is not a comma-separated list of numbers` };
    if (!parts.every(isDecimal)) return { error: `'${text}' is not a comma-separated list of decimal numbers` };
    return { value: parts.map(Number) };
  }
  if (kind === 'number') {
    if (text.trim() === '' || Number.isNaN(Number(text))) return { error: `'${text}' is not a number` };
    if (!isDecimal(text)) return { error: `'${text}' is not a decimal number${/^[+-]?0[xbo]/i.test(text.trim()) ? ' (hexadecimal, binary and octal are not read)' : ''}` };
    return { value: Number(text) };
  }
  return { value: text };
}

/** The text a form shows for a value. */
export function formatFieldValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}
