import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalize } from 'node:path';
import type { Duplex } from 'node:stream';
import { CHANNEL_NAMES, type ChannelName } from '../../src-shared/channels';
import type { Envelope } from '../../src-shared/envelope';
import { AppError } from '../../src-shared/errors';
import type { WorkbenchApi } from '../api/workbenchApi';
import { clientErrorAnswer, endSocket, fail, failWith, guard, rawResponse, send } from './httpReply';
import { readJsonBody } from './requestBody';
import { MODEL_ROUTE, serveModelDownload } from './modelDownload';
import { serveStatic } from './staticFiles';

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

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browser mode: the built renderer and the same API over HTTP. Binds to loopback only; every
 * request must carry the right Host header (no DNS rebinding) and every API call the per-session
 * token (Authorization: Bearer, or ?token= for the event stream, which EventSource cannot set
 * headers on). Events are server-sent. No request can end the process: every handler runs under
 * guard() (a failure is a 4xx/5xx answer), requests the parser refuses and CONNECT get a raw error
 * answer, and every response and stream has an error listener.
 */
export async function startHttpServer(options: ServeOptions): Promise<{ url: string; token: string; port: number; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new AppError('VALIDATION', `Refusing to listen on ${host}: browser mode only binds to a loopback address (127.0.0.1, ::1 or localhost)`);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = normalize(options.staticDir);
  let port = 0;
  const streams = new Set<http.ServerResponse>();

  /** The response in flight on each socket, so a parser error after its headers went out only closes the socket. */
  const inFlight = new WeakMap<Duplex, http.ServerResponse>();

  const server = http.createServer((req, res) => {
    res.on('error', () => res.destroy());
    inFlight.set(req.socket, res);
    res.on('close', () => inFlight.get(req.socket) === res && inFlight.delete(req.socket));
    guard(res, () => route(req, res));
  });
  // sockets already answered after a client error: the rest of what the client sends reaches the
  // failed parser again and again, and must not cut the connection under the answer
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET') return endSocket(socket, null);
    if (answered.has(socket)) return;
    answered.add(socket);
    // an answer already under way is let out before the connection closes; no second one is added
    if (inFlight.get(socket)?.headersSent) return endSocket(socket, '');
    const [status, message] = clientErrorAnswer(error);
    endSocket(socket, rawResponse(status, message));
  });
  // without a listener Node drops a CONNECT request's connection unanswered
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => endSocket(socket, rawResponse(405, 'CONNECT is not supported')));

  function route(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void> {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) return fail(res, 403, 'VALIDATION', `Wrong Host header '${req.headers.host ?? ''}'`);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    } catch {
      return fail(res, 400, 'VALIDATION', 'Malformed request target');
    }
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'VALIDATION', 'Method not allowed');
    return serveStatic(req, res, staticRoot, url.pathname);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (url.pathname === '/api/events') {
      if (!sameToken(url.searchParams.get('token') ?? bearer, token)) return fail(res, 401, 'VALIDATION', 'Missing or wrong token');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      // a HEAD request has no body, so without this its headers would never be sent
      res.flushHeaders();
      res.write(': connected\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    const download = MODEL_ROUTE.exec(url.pathname);
    if (download) {
      // a download link cannot set headers either: the token may come in ?token=
      if (!sameToken(url.searchParams.get('token') ?? bearer, token)) return fail(res, 401, 'VALIDATION', 'Missing or wrong token');
      return serveModelDownload(req, res, options.api, download[1], url);
    }
    if (!sameToken(bearer, token)) return fail(res, 401, 'VALIDATION', 'Missing or wrong token');
    if (req.method !== 'POST') return fail(res, 405, 'VALIDATION', 'API calls are POST requests');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return fail(res, 415, 'VALIDATION', 'API calls must send application/json');
    const channel = url.pathname.slice('/api/'.length);
    if (!(CHANNEL_NAMES as readonly string[]).includes(channel)) return fail(res, 404, 'NOT_FOUND', `Unknown API channel '${channel}'`);
    try {
      const value = await options.api.call(channel as ChannelName, await readJsonBody(req));
      send(res, 200, { ok: true, value } satisfies Envelope<unknown>);
    } catch (e) {
      failWith(res, e);
    }
  }

  const unsubscribe = options.api.subscribe((name, payload) => {
    let frame: string;
    try {
      frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    } catch (e) {
      return void process.stderr.write(`workbench serve: could not send event ${name}: ${(e as Error).message}\n`);
    }
    for (const s of streams) s.write(frame);
  });
  const keepAlive = setInterval(() => streams.forEach((s) => s.write(': keep-alive\n\n')), 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // after listen, a server error (e.g. too many open files while accepting) is reported, never thrown
  server.on('error', (e) => process.stderr.write(`workbench serve: ${e.message}\n`));
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
