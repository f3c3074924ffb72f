import { AppError, ValidationError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';


/** How a CLI invocation that failed ends: the text for stderr (without the `workbench: ` prefix) and the exit code. */
export interface ErrorReport {
  text: string;
  exitCode: number;
}

/**
 * One clear message for anything a command throws, never a stack trace: validation issues one per
 * line, AppErrors as they are, file-system errors with the path and the reason, errors from SQLite
 * with their code. Other errors print their message; WORKBENCH_DEBUG=1 adds the stack for a bug report.
 */
export function errorReport(error: unknown, env: NodeJS.ProcessEnv = process.env): ErrorReport {
  if (error instanceof ValidationError) {
    return { text: `${error.message.split(': ')[0]}:\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, exitCode: 2 };
  }
  if (error instanceof AppError) return { text: error.message, exitCode: error.code === 'VALIDATION' ? 2 : 1 };
  const e = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (e instanceof Error && code && e.path) {
    return { text: `cannot ${e.syscall ?? 'use'} ${e.path}: ${fsReason(e) ?? e.message} (${code}).`, exitCode: 1 };
  }
  if (e instanceof Error && code.startsWith('SQLITE_')) {
    return { text: `the experiment database refused the request (${code}): ${e.message}. What was saved before is kept.`, exitCode: 1 };
  }
  const message = e instanceof Error ? e.message : String(error);
  const detail = env.WORKBENCH_DEBUG === '1' && e instanceof Error ? `\n${e.stack}` : ' (set WORKBENCH_DEBUG=1 to see where it happened)';
  return { text: `unexpected error: ${message}${detail}`, exitCode: 1 };
}
