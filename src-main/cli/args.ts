import { AppError, ValidationError } from '../../src-shared/errors';

/** Parsed command line: positional words and `--name value` / `--name=value` / boolean flags. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

/**
 * Splits argv against the known value options and boolean flags of a command; anything else is
 * a usage error naming the unknown option.
 */
export function parseArgs(argv: string[], valueOptions: ReadonlySet<string>, booleanFlags: ReadonlySet<string>): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleanFlags.has(name)) {
      if (eq > 0) throw new ValidationError([{ path: `--${name}`, message: 'takes no value' }], 'Invalid options');
      out.flags.add(name);
    } else if (valueOptions.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new ValidationError([{ path: `--${name}`, message: 'needs a value' }], 'Invalid options');
      if (out.options.has(name)) throw new ValidationError([{ path: `--${name}`, message: 'given twice' }], 'Invalid options');
      out.options.set(name, value);
    } else {
      throw new AppError('VALIDATION', `Unknown option --${name} (see --help)`);
    }
  }
  return out;
}

/** learningRate → learning-rate */
export function kebab(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
