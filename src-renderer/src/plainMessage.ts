import { FIELD_LABELS } from '../../src-shared/fieldLabels';
import type { TrainConfig } from '../../src-shared/config';

/** The validator's wording of a kind of problem (zod), and the same in plain words. */
const KINDS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Too big: expected string to have <=(\d+) characters?/, (m) => `is too long (at most ${Number(m[1]).toLocaleString('en-US')} characters)`],
  [/^Too small: expected string to have >=(\d+) characters?/, () => 'is empty'],
  [/^Too small\b/, () => 'is too small'],
  [/^Too big\b/, () => 'is too large'],
  [/^Invalid input: expected int\b/, () => 'is not a whole number'],
  [/^Invalid input: expected number\b/, () => 'is not a number'],
  [/^Invalid option\b/, () => 'is not one of the choices'],
];

/**
 * A validation message as the form shows it, in plain words: "-1 is too small (allowed: a number
 * > 0 and ≤ 100)" rather than the validator's "Too small: expected number to be >0 (allowed: …)";
 * a config key that starts a message becomes its label ("Learning rate γ: 0.1 is already …").
 * `typed` is the text the message is about, when the form knows it. Other messages are kept as
 * they are: they are already written for people.
 */
export function plainMessage(message: string, typed?: string): string {
  let body = message;
  let prefix = '';
  const keyed = /^(\w+): (.*)$/s.exec(body);
  if (keyed && Object.hasOwn(FIELD_LABELS, keyed[1])) {
    prefix = `${FIELD_LABELS[keyed[1] as keyof TrainConfig]}: `;
    body = keyed[2];
  }
  const allowedAt = body.indexOf(' (allowed: ');
  const allowed = allowedAt >= 0 ? body.slice(allowedAt) : '';
  const problem = allowedAt >= 0 ? body.slice(0, allowedAt) : body;
  for (const [pattern, words] of KINDS) {
    const m = pattern.exec(problem);
    if (!m) continue;
    const subject = typed !== undefined && typed.trim() !== '' && typed.trim().length <= 40 ? typed.trim() : 'This value';
    return `${prefix}${subject} ${words(m)}${allowed}`;
  }
  return `${prefix}${body}`;
}
