import { AppError } from '../../src-shared/errors';
import { WorkbenchApi } from '../api/workbenchApi';
import { resolveHome } from '../data/appHome';
import { DatasetManager } from '../data/datasetManager';
import { parseArgs } from './args';
import { formatEngine, formatStatus, progressLabel } from './formatStatus';
import { ProgressBar } from './progressBar';

export const DATA_HELP = [
  'workbench data <status|download|import|verify|path> [options]',
  '',
  '  status               what the cache holds (state, source, counts per class, checksums) and which kernels train',
  '  download [--url U]   download the official archive (or a mirror), check size and MD5, extract',
  '  import <path>        import a local cifar-10-binary.tar.gz or an extracted cifar-10-batches-bin folder',
  '  verify               re-hash every cached file against the manifest',
  '  path                 print the cache folder',
  '',
  '  --home <dir>         application data folder (default: $WORKBENCH_HOME, else the per-OS app data folder)',
  '  --json               print the result as JSON',
].join('\n');

/** `workbench data …`: returns the exit code (0 ok, 1 failed or not ready, 130 cancelled). */
export async function dataCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['home', 'url']), new Set(['json', 'help']));
  const [sub, ...rest] = args.positional;
  if (args.flags.has('help') || !sub) {
    process.stdout.write(`${DATA_HELP}\n`);
    return sub || args.flags.has('help') ? 0 : 2;
  }
  const manager = new DatasetManager(resolveHome(args.options.get('home')));
  const api = new WorkbenchApi({ dataset: manager });
  const json = args.flags.has('json');
  const print = (value: unknown, text: string): void => void process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text}\n`);
  const bar = new ProgressBar(process.stderr);
  api.subscribe((event, payload) => {
    if (event === 'data/progress' && !json) bar.update(payload.total ? payload.bytes / payload.total : 0, progressLabel(payload));
  });
  const onSigint = (): void => {
    bar.clear();
    process.stderr.write('Cancelling…\n');
    void api.call('data/cancel', {});
  };
  process.on('SIGINT', onSigint);
  try {
    switch (sub) {
      case 'status': {
        const [s, engine] = await Promise.all([api.call('data/status', {}), api.call('engine/status', {})]);
        print({ ...s, engine }, `${formatStatus(s)}\n${formatEngine(engine)}`);
        return s.state === 'ready' ? 0 : 1;
      }
      case 'path': {
        const s = await api.call('data/status', {});
        print({ cacheDir: s.cacheDir, home: s.home }, s.cacheDir);
        return 0;
      }
      case 'download': {
        const s = await api.call('data/download', args.options.has('url') ? { url: args.options.get('url') } : {});
        bar.clear();
        print(s, formatStatus(s));
        return 0;
      }
      case 'import': {
        if (!rest[0]) throw new AppError('VALIDATION', 'import needs a path: workbench data import <cifar-10-binary.tar.gz|folder>');
        const s = await api.call('data/import', { path: rest[0] });
        bar.clear();
        print(s, formatStatus(s));
        return 0;
      }
      case 'verify': {
        const r = await api.call('data/verify', {});
        bar.clear();
        print(r, r.ok ? `Verified: every file matches its sha256 in the manifest.\n${formatStatus(r.status)}` : `Verification failed:\n${r.problems.map((p) => `  ${p}`).join('\n')}`);
        return r.ok ? 0 : 1;
      }
      default:
        throw new AppError('VALIDATION', `Unknown data command '${sub}' (status, download, import, verify, path)`);
    }
  } catch (e) {
    bar.clear();
    if (e instanceof AppError && e.code === 'CANCELLED') {
      const s = await manager.status();
      process.stderr.write(`Cancelled.${s.partialDownloadBytes ? ' The partial download is kept; run the download again to resume.' : ''}\n`);
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
