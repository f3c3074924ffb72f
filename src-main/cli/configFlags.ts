import { CONFIG_FIELD_HELP, DEFAULT_TRAIN_CONFIG, describeIssues, trainConfigSchema, type TrainConfig } from '../../src-shared/config';
import { parseFieldText } from '../../src-shared/configText';
import { ValidationError, type FieldIssue } from '../../src-shared/errors';
import { kebab } from './args';

type Field = keyof TrainConfig;
const FIELDS = Object.keys(DEFAULT_TRAIN_CONFIG) as Field[];

/** Short spellings accepted besides the kebab-case field names. */
const ALIASES: Record<string, Field> = { lr: 'learningRate', batch: 'batchSize', 'min-lr': 'minLearningRate' };

/** Every command-line option that sets a config field, by option name. */
export const CONFIG_OPTIONS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ...FIELDS.map((f) => [kebab(f), f] as [string, Field]),
  ...Object.entries(ALIASES),
]);

const optionOf = (field: string): string => `--${kebab(field)}`;

function convert(field: Field, text: string, flag: string): unknown {
  const parsed = parseFieldText(field, text);
  if ('error' in parsed) throw new ValidationError([{ path: flag, message: `${parsed.error} (allowed: ${CONFIG_FIELD_HELP[field]})` }], 'Invalid options');
  return parsed.value;
}

/**
 * Builds a run config from an optional JSON file and the command-line options (options win).
 * Validation messages name the option (`--learning-rate`) or the file field and what is allowed.
 */
export function configFromOptions(options: Map<string, string>, fileConfig: Record<string, unknown> | null): TrainConfig {
  const merged: Record<string, unknown> = { ...(fileConfig ?? {}) };
  const typed = new Map<string, string>();
  for (const [name, text] of options) {
    const field = CONFIG_OPTIONS.get(name);
    if (!field) continue;
    merged[field] = convert(field, text, `--${name}`);
    typed.set(field, `--${name}`);
  }
  const result = trainConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  const issues: FieldIssue[] = describeIssues(result.error.issues, CONFIG_FIELD_HELP).map((issue) => {
    const field = issue.path.split('.')[0];
    const flag = typed.get(field);
    return flag ? { ...issue, path: flag + issue.path.slice(field.length) } : { ...issue, path: `config ${issue.path}` };
  });
  throw new ValidationError(issues, 'Invalid options');
}

/** Help lines for every config option, from the shared field descriptions. */
export function configOptionsHelp(): string[] {
  return FIELDS.map((f) => {
    const d = DEFAULT_TRAIN_CONFIG[f];
    const shown = Array.isArray(d) ? d.join(',') : String(d);
    return `  ${optionOf(f).padEnd(20)} ${CONFIG_FIELD_HELP[f]} [default ${shown}]`;
  });
}
