import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../../src-shared/errors';
import { errorReport } from '../../src-main/cli/errorReport';

const caught = (work: () => unknown): unknown => {
  try {
    work();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('the CLI error report', () => {
  it('keeps AppErrors and validation issues as they are, with their exit codes', () => {
    expect(errorReport(new AppError('IO', 'The disk is full'))).toEqual({ text: 'The disk is full', exitCode: 1 });
    expect(errorReport(new AppError('VALIDATION', '--x must be 1'))).toEqual({ text: '--x must be 1', exitCode: 2 });
    expect(errorReport(new ValidationError([{ path: 'epochs', message: 'Too small' }], 'Invalid config'))).toEqual({ text: 'Invalid config:\n  epochs: Too small', exitCode: 2 });
  });

  it('names the path and the reason of a file-system error, without a stack', () => {
    const error = caught(() => readFileSync('/nonexistent/folder/spec.json'));
    const report = errorReport(error);
    expect(report).toEqual({ text: 'cannot open /nonexistent/folder/spec.json: no such file or folder (ENOENT).', exitCode: 1 });
  });

  it('gives a raw SQLite error its code and says what was kept, without a stack', () => {
    const db = new Database(':memory:');
    const error = caught(() => db.exec('INSERT INTO nowhere VALUES (1)'));
    db.close();
    const { text } = errorReport(error);
    expect(text).toBe('the experiment database refused the request (SQLITE_ERROR): no such table: nowhere. What was saved before is kept.');
  });

  it('an unexpected error: its message, and the stack only with WORKBENCH_DEBUG=1', () => {
    const error = new TypeError('x is not a function');
    expect(errorReport(error, {}).text).toBe('unexpected error: x is not a function (set WORKBENCH_DEBUG=1 to see where it happened)');
    expect(errorReport(error, { WORKBENCH_DEBUG: '1' }).text).toContain('\n    at ');
  });

  for (const kind of ['exception', 'rejection']) {
    it(`an uncaught ${kind} in the real CLI process ends with one line and exit 1`, async () => {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, ['--import', 'tsx', 'test/helpers/uncaughtChild.ts'], { env: { ...process.env, FAIL_WITH: kind, WORKBENCH_DEBUG: '' } }, (_e, _out, stderr) => {
          resolve({ code: child.exitCode, stderr });
        });
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^workbench: unexpected error: (an event handler failed|a promise nobody awaited failed) \(set WORKBENCH_DEBUG=1 to see where it happened\)\n$/);
    });
  }
});
