import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CHANNEL_NAMES, type ChannelName } from '../../src-shared/channels';
import type { Envelope } from '../../src-shared/envelope';
import { AppError, toWireError, type ErrorCode } from '../../src-shared/errors';
import type { WorkbenchApi } from '../api/workbenchApi';

export interface ServeOptions {
  api: WorkbenchApi;
  /** Must be a loopback address: browser mode is never reachable from the network. */
  host?: string;
  port?: number;
  /** The built renderer (out/renderer). */
  staticDir: string;
  token?: string;
}

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };
const STATUS: Partial<Record<ErrorCode, number>> = { VALIDATION: 400, NOT_FOUND: 404, DATASET_MISSING: 409, DATASET_INVALID: 422, CANCELLED: 409, CHECKSUM: 422 };
const MAX_BODY = 1 << 20;

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  send(res, status, { ok: false, error: { name: 'AppError', code, message } } satisfies Envelope<never>);
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AppError('VALIDATION', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('VALIDATION', 'Request body is not valid JSON');
  }
}

/**
 * Browser mode: the built renderer and the same API over HTTP. Binds to loopback only; every
 * request must carry the right Host header (no DNS rebinding) and every API call the per-session
 * token (Authorization: Bearer, or ?token= for the event stream, which EventSource cannot set
 * headers on). Events are server-sent.
 */
export async function startHttpServer(options: ServeOptions): Promise<{ url: string; token: string; port: number; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new AppError('VALIDATION', `Refusing to listen on ${host}: browser mode only binds to a loopback address (127.0.0.1, ::1 or localhost)`);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = normalize(options.staticDir);
  let port = 0;
  const streams = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) return fail(res, 403, 'VALIDATION', `Wrong Host header '${req.headers.host ?? ''}'`);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith('/api/')) return void handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'VALIDATION', 'Method not allowed');
    void serveStatic(res, url.pathname);
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (url.pathname === '/api/events') {
      if (!sameToken(url.searchParams.get('token') ?? bearer, token)) return fail(res, 401, 'VALIDATION', 'Missing or wrong token');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (!sameToken(bearer, token)) return fail(res, 401, 'VALIDATION', 'Missing or wrong token');
    if (req.method !== 'POST') return fail(res, 405, 'VALIDATION', 'API calls are POST requests');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return fail(res, 415, 'VALIDATION', 'API calls must send application/json');
    const channel = url.pathname.slice('/api/'.length);
    if (!(CHANNEL_NAMES as readonly string[]).includes(channel)) return fail(res, 404, 'NOT_FOUND', `Unknown API channel '${channel}'`);
    try {
      const value = await options.api.call(channel as ChannelName, await readJson(req));
      send(res, 200, { ok: true, value } satisfies Envelope<unknown>);
    } catch (e) {
      const error = toWireError(e);
      send(res, STATUS[error.code] ?? 500, { ok: false, error } satisfies Envelope<never>);
    }
  }

  async function serveStatic(res: http.ServerResponse, pathname: string): Promise<void> {
    const rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    const file = normalize(join(staticRoot, rel));
    if (!file.startsWith(staticRoot + sep)) return fail(res, 404, 'NOT_FOUND', 'Not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return fail(res, 404, 'NOT_FOUND', 'Not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size });
    createReadStream(file).pipe(res);
  }

  const unsubscribe = options.api.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams) s.write(frame);
  });
  const keepAlive = setInterval(() => streams.forEach((s) => s.write(': keep-alive\n\n')), 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(keepAlive);
        unsubscribe();
        for (const s of streams) s.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
