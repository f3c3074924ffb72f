import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  range: string | null;
  ifRange: string | null;
  status: number;
}

/** How one path behaves; `drop` cuts the connection after that many body bytes of an attempt. */
export interface Route {
  body: () => Buffer;
  etag?: () => string;
  honorRange?: boolean;
  drop?: (attempt: number) => number | null;
  status?: number;
  /** Milliseconds between 16 KiB chunks. */
  slowMs?: number;
}

/**
 * A real HTTP server on 127.0.0.1 for download tests: serves archives with ETag and Range support,
 * and can ignore Range, fail with a status, drop connections or trickle bytes.
 */
export async function startArchiveServer(routes: Record<string, Route>) {
  const seen: SeenRequest[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const route = routes[path];
    const attempt = attempts.get(path) ?? 0;
    attempts.set(path, attempt + 1);
    const record = (status: number): void => void seen.push({ path, range: req.headers.range ?? null, ifRange: (req.headers['if-range'] as string) ?? null, status });
    if (!route || route.status) {
      const status = route?.status ?? 404;
      record(status);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(http.STATUS_CODES[status]);
      return;
    }
    const body = route.body();
    const etag = route.etag?.() ?? `"${createHash('md5').update(body).digest('hex')}"`;
    let start = 0;
    let status = 200;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && route.honorRange !== false && (!req.headers['if-range'] || req.headers['if-range'] === etag)) {
      start = Number(m[1]);
      status = 206;
    }
    record(status);
    const headers: http.OutgoingHttpHeaders = { 'content-length': body.length - start, etag, 'accept-ranges': 'bytes' };
    if (status === 206) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(status, headers);
    const dropAt = route.drop?.(attempt) ?? null;
    const end = dropAt === null ? body.length : Math.min(body.length, start + dropAt);
    let off = start;
    const pump = (): void => {
      while (off < end) {
        const next = Math.min(end, off + 16_384);
        const ok = res.write(body.subarray(off, next));
        off = next;
        if (route.slowMs) {
          setTimeout(pump, route.slowMs);
          return;
        }
        if (!ok) {
          res.once('drain', pump);
          return;
        }
      }
      if (end < body.length) res.socket?.destroy();
      else res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
