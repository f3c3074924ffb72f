import { AppError } from '../../src-shared/errors';
import { ARCHIVE_DAYS, type RunStatus } from '../../src-shared/runs';
import { resolveHome } from '../data/appHome';
import { openWorkbench } from '../api/openWorkbench';
import { parseArgs } from './args';
import { archivedLine, experimentLine, runDetailText, runLine, varyingFields } from './runFormat';
import { ARCHIVE_HELP, runsArchiveCommand } from './runsArchive';
import { REQUEUE_HELP, runsRequeueCommand } from './runsRequeue';
import { RESUME_HELP, runsResumeCommand } from './runsResume';
import { EXPORT_MODEL_HELP, exportModelCommand } from './modelCommands';

export const LIST_HELP = [
  'workbench experiments list [--json]',
  `workbench runs list [--experiment ID] [--status S] [--archived] [--json]    --archived: the runs in the archive instead (runs archived over ${ARCHIVE_DAYS} days ago are deleted for good first, as whenever the archive is opened)`,
  'workbench runs show <id> [--json]',
  REQUEUE_HELP,
  RESUME_HELP,
  EXPORT_MODEL_HELP,
  ARCHIVE_HELP,
].join('\n');

const int = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new AppError('VALIDATION', `--${name} must be a positive integer, not '${text}'`);
  return v;
};

/** `workbench experiments …` and `workbench runs …` (read-only views of the database; `runs requeue` trains, `runs archive|restore|purge` change the archive). */
export async function listCommand(kind: 'experiments' | 'runs', argv: string[]): Promise<number> {
  if (kind === 'runs' && argv[0] === 'requeue') return runsRequeueCommand(argv.slice(1));
  if (kind === 'runs' && argv[0] === 'resume') return runsResumeCommand(argv.slice(1));
  if (kind === 'runs' && argv[0] === 'export-model') return exportModelCommand(argv.slice(1));
  if (kind === 'runs' && (argv[0] === 'archive' || argv[0] === 'restore' || argv[0] === 'purge')) return runsArchiveCommand(argv[0], argv.slice(1));
  const args = parseArgs(argv, new Set(['home', 'experiment', 'status']), new Set(['json', 'help', ...(kind === 'runs' ? ['archived'] : [])]));
  if (args.flags.has('help')) {
    process.stdout.write(`${LIST_HELP}\n`);
    return 0;
  }
  const [sub, idText] = args.positional;
  const wb = openWorkbench(resolveHome(args.options.get('home')), { workers: 1 });
  const out = (value: unknown, text: string): void => void process.stdout.write(`${args.flags.has('json') ? JSON.stringify(value, null, 2) : text}\n`);
  try {
    if (kind === 'experiments' && sub === 'list') {
      const list = await wb.api.call('experiments/list', {});
      out(list, list.length ? list.map(experimentLine).join('\n') : 'No experiments yet.');
      return 0;
    }
    if (kind === 'runs' && sub === 'list') {
      const filter = { experimentId: int('experiment', args.options.get('experiment')), status: args.options.get('status') as RunStatus | undefined, limit: 10_000 };
      if (args.flags.has('archived')) {
        // runs/list hides the archive (as every reader does); History's archive view is runs/page
        const { rows } = await wb.api.call('runs/page', { ...filter, archived: true });
        const fields = varyingFields(rows);
        out(rows, rows.length ? rows.map((r) => archivedLine(r, fields)).join('\n') : 'No archived runs match.');
        return 0;
      }
      const runs = await wb.api.call('runs/list', filter);
      const fields = varyingFields(runs);
      out(runs, runs.length ? runs.map((r) => runLine(r, fields)).join('\n') : 'No runs match.');
      return 0;
    }
    if (kind === 'runs' && sub === 'show') {
      const id = int('id', idText);
      if (id === undefined) throw new AppError('VALIDATION', 'runs show needs a run id');
      const run = await wb.api.call('runs/get', { id });
      out(run, runDetailText(run));
      return 0;
    }
    throw new AppError('VALIDATION', `Unknown command '${kind} ${sub ?? ''}'.\n${LIST_HELP}`);
  } finally {
    await wb.close();
  }
}
