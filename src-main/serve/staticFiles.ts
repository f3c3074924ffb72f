import { open } from 'node:fs/promises';
import type http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { bodyRead, fail } from './httpReply';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };

/** The URL path decoded, or null when it holds a malformed percent-escape (`%`, `%ff`, `%c0%af`). */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/**
 * Serves one file of the built renderer, never anything outside `root` (a normalised absolute path).
 * The file is opened before the headers go out, so a file that vanishes or cannot be read is a 404,
 * and a read that fails half-way closes the connection instead of throwing.
 */
export async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, root: string, pathname: string): Promise<void> {
  const rel = decodePath(pathname === '/' ? '/index.html' : pathname);
  if (rel === null) return fail(res, 400, 'VALIDATION', 'Malformed percent-escape in the URL path');
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep)) return fail(res, 404, 'NOT_FOUND', 'Not found');
  // a body nobody reads arrives first (see bodyRead), before a file is held open for it
  await bodyRead(req);
  if (res.destroyed) return;
  // a NUL byte, an overlong name or a folder: all simply not a file here
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return fail(res, 404, 'NOT_FOUND', 'Not found');
  try {
    const info = await handle.stat().catch(() => null);
    if (!info?.isFile()) return fail(res, 404, 'NOT_FOUND', 'Not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(handle.createReadStream({ autoClose: false }), res).catch(() => res.destroy());
  } finally {
    await handle.close().catch(() => undefined);
  }
}
