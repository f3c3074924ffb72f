import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { openWorkbench } from '../api/openWorkbench';
import { resolveHome } from '../data/appHome';
import { startHttpServer } from '../serve/httpServer';
import { parseArgs } from './args';
import { LOCAL_FLAG, REDIS_FLAGS, REDIS_HELP, REDIS_OPTIONS, redisTarget } from './redisFlags';

export const SERVE_HELP = [
  'workbench serve [--port N] [--host 127.0.0.1] [--home dir] [--workers N] [--redis URL]',
  '',
  'Browser mode: serves the built app (npm run build) and its API on a loopback address. Open the printed',
  'URL; it carries a random per-session token. Ctrl-C stops the server.',
  REDIS_HELP,
].join('\n');

/** `workbench serve`: runs until interrupted. */
export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['port', 'host', 'home', 'workers', ...REDIS_OPTIONS]), new Set(['help', LOCAL_FLAG, ...REDIS_FLAGS]));
  if (args.flags.has('help')) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  const staticDir = join(import.meta.dirname, '../../out/renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new AppError('VALIDATION', `No built renderer in ${staticDir}: run npm run build first`);
  const port = Number(args.options.get('port') ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('VALIDATION', `--port must be an integer 0–65535, not '${args.options.get('port')}'`);
  const workers = args.options.has('workers') ? Number(args.options.get('workers')) : undefined;
  const wb = openWorkbench(resolveHome(args.options.get('home')), { workers, redis: redisTarget(args), redisPassword: args.options.get('redis-password'), local: args.flags.has(LOCAL_FLAG) });
  const server = await startHttpServer({ api: wb.api, host: args.options.get('host'), port, staticDir });
  void wb.api.startUp();
  process.stdout.write(`Workbench running in browser mode at\n\n  ${server.url}\n\n(loopback only; the link carries this session's token). Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await server.close();
  await wb.close();
  return 0;
}
