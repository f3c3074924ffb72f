import { AppError } from '../../src-shared/errors';
import type { Workbench } from '../api/openWorkbench';
import type { ParsedArgs } from './args';

/** A command-line id or count: a positive integer, or a clear error naming `what`. */
export function positiveInt(what: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new AppError('VALIDATION', `${what} must be a positive integer, not '${text}'`);
  return v;
}

/** `--workers` of a command that trains in this process (1–64), or undefined for the default. */
export function workersOption(args: ParsedArgs): number | undefined {
  const text = args.options.get('workers');
  const workers = text === undefined ? undefined : positiveInt('--workers', text);
  if (workers !== undefined && workers > 64) throw new AppError('VALIDATION', `--workers must be an integer 1–64, not '${text}'`);
  return workers;
}

/**
 * Ctrl-C while a command trains runs in this process: the first pauses the queue and cancels the
 * running runs (their checkpoints stay), saying `what` happens; a second exits at once. Returns the
 * function that removes the handler, and whether Ctrl-C was pressed.
 */
export function cancelOnCtrlC(wb: Workbench, log: (line: string) => void, what: string): { remove: () => void; pressed: () => boolean } {
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    void (async () => {
      const { running } = await wb.api.call('queue/pause', {});
      for (const id of running) await wb.api.call('runs/cancel', { id });
    })();
    log(what);
  };
  process.on('SIGINT', onSigint);
  return { remove: () => process.off('SIGINT', onSigint), pressed: () => interrupted };
}
