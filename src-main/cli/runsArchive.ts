import { MAX_BULK } from '../../src-shared/api';
import { AppError } from '../../src-shared/errors';
import { ARCHIVE_DAYS, type BulkSkip } from '../../src-shared/runs';
import { openWorkbench } from '../api/openWorkbench';
import { resolveHome } from '../data/appHome';
import { parseArgs } from './args';

export const ARCHIVE_HELP = [
  'workbench runs archive <id…> [--home dir] [--json]',
  `  moves ended runs to the archive (History's Delete): hidden everywhere, restorable for ${ARCHIVE_DAYS} days, then deleted`,
  '  for good; queued runs are cancelled first, running ones are skipped. Ids: 3 4 7, 3,4,7 or 3-7.',
  'workbench runs restore <id…> [--home dir] [--json]    brings runs back from the archive (workbench runs list --archived)',
  'workbench runs purge <id…> --yes [--home dir] [--json]',
  '  deletes runs of the archive for good, with their metrics, checkpoints and models; cannot be undone, so --yes is required.',
  '  Exit codes: 0 every run given was changed, 1 some were skipped (stderr says which and why), 2 invalid ids or options.',
].join('\n');

type Action = 'archive' | 'restore' | 'purge';

/** Run ids as typed: "3 4 7", "3,4,7", "3-7"; anything else is refused naming the word and what to type. */
export function parseRunIds(action: Action, words: readonly string[]): number[] {
  if (words.length === 0) throw new AppError('VALIDATION', `runs ${action} needs one or more run ids, e.g. workbench runs ${action} 3 4 7 (workbench runs list${action === 'archive' ? '' : ' --archived'} shows them)`);
  const ids = new Set<number>();
  for (const part of words.flatMap((w) => w.split(',')).filter((p) => p !== '')) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    const [from, to] = range ? [Number(range[1]), Number(range[2])] : [Number(part), Number(part)];
    if (!/^\d+(-\d+)?$/.test(part) || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1) {
      throw new AppError('VALIDATION', `runs ${action}: '${part}' is not a run id; give positive whole numbers as workbench runs list shows them: 3 4 7, 3,4,7 or 3-7`);
    }
    if (to < from) throw new AppError('VALIDATION', `runs ${action}: the range '${part}' runs backwards; write it low to high (${to}-${from})`);
    if (to - from + 1 + ids.size > MAX_BULK) throw new AppError('VALIDATION', `runs ${action}: at most ${MAX_BULK.toLocaleString('en-US')} runs at a time; split the ids`);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  if (ids.size === 0) throw new AppError('VALIDATION', `runs ${action} needs one or more run ids, e.g. workbench runs ${action} 3 4 7`);
  return [...ids];
}

/** "3, 4, 7" (the first 20, then how many more). */
function idList(ids: readonly number[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')} and ${(ids.length - 20).toLocaleString('en-US')} more`;
}

const runs = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'run' : 'runs'}`;

/** What to type next when runs were skipped, by action (the reasons come from the API, in History's words). */
const SKIP_HINT: Record<Action, string> = {
  archive: 'workbench runs list shows the runs, workbench runs list --archived the archive',
  restore: 'only runs in the archive can be restored: workbench runs list --archived lists them',
  purge: 'only runs in the archive can be purged: workbench runs archive <id…> moves runs there, workbench runs list --archived lists it',
};

/**
 * `workbench runs archive|restore|purge <id…>`: History's Delete, Restore and Delete for good over
 * runs/delete, runs/restore and runs/purge. Every id is tried; the ones the API skips are said on
 * stderr with its reason and make the exit code 1.
 */
export async function runsArchiveCommand(action: Action, argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['home']), new Set(['help', 'json', ...(action === 'purge' ? ['yes'] : [])]));
  if (args.flags.has('help')) {
    process.stdout.write(`${ARCHIVE_HELP}\n`);
    return 0;
  }
  const ids = parseRunIds(action, args.positional);
  if (action === 'purge' && !args.flags.has('yes')) {
    throw new AppError('VALIDATION', `runs purge deletes ${runs(ids.length)} (${idList(ids)}) for good, with their metrics, checkpoints and models; this cannot be undone. Add --yes to do it`);
  }
  const wb = openWorkbench(resolveHome(args.options.get('home')), { workers: 1 });
  try {
    let done: number[];
    let skipped: BulkSkip[];
    let text: string;
    if (action === 'archive') {
      ({ archived: done, skipped } = await wb.api.call('runs/delete', { ids }));
      text = `Moved ${runs(done.length)} to the archive: ${idList(done)}. Restorable for ${ARCHIVE_DAYS} days (workbench runs restore <id…>), then deleted for good.`;
      if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ archived: done, skipped }, null, 2)}\n`);
    } else if (action === 'restore') {
      ({ restored: done, skipped } = await wb.api.call('runs/restore', { ids }));
      text = `Restored ${runs(done.length)} from the archive: ${idList(done)}.`;
      if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ restored: done, skipped }, null, 2)}\n`);
    } else {
      ({ deleted: done, skipped } = await wb.api.call('runs/purge', { ids }));
      text = `Deleted ${runs(done.length)} for good, with ${done.length === 1 ? 'its' : 'their'} metrics and files: ${idList(done)}.`;
      if (args.flags.has('json')) process.stdout.write(`${JSON.stringify({ deleted: done, skipped }, null, 2)}\n`);
    }
    if (!args.flags.has('json')) {
      if (done.length) process.stdout.write(`${text}\n`);
      for (const s of skipped) process.stderr.write(`workbench: run ${s.id} skipped: ${s.reason}\n`);
      if (skipped.length) process.stderr.write(`workbench: ${runs(skipped.length)} not changed (${SKIP_HINT[action]}).\n`);
    }
    return skipped.length ? 1 : 0;
  } finally {
    await wb.close();
  }
}
