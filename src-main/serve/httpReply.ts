import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Envelope } from '../../src-shared/envelope';
import { toWireError, type ErrorCode, type WireError } from '../../src-shared/errors';

/** The HTTP status each error code answers with; anything else is a 500. */
export const STATUS: Partial<Record<ErrorCode, number>> = { VALIDATION: 400, NOT_FOUND: 404, DATASET_MISSING: 409, DATASET_INVALID: 422, CANCELLED: 409, CHECKSUM: 422 };

/** An error that answers with a status of its own (413, 405 …) instead of the one its code maps to. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Serialises first, so a body that cannot be serialised fails before any header is written. An
 * answer given before the request's body was read (a wrong token, host or method) waits for that
 * body to arrive (see bodyRead), so closing the connection after it cannot reset it away.
 */
export function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  const write = (): void => {
    try {
      if (res.headersSent || res.writableEnded || res.destroyed || res.socket?.writable === false) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(text);
    } catch {
      res.destroy();
    }
  };
  if (!res.req || res.req.complete) return write();
  void bodyRead(res.req).then(write);
}

export function fail(res: http.ServerResponse, status: number, code: ErrorCode, message: string, headers: http.OutgoingHttpHeaders = {}): void {
  send(res, status, { ok: false, error: { name: 'AppError', code, message } } satisfies Envelope<never>, headers);
}

/** Answers with whatever went wrong: its status and envelope, or, once headers are out, by closing the connection. */
export function failWith(res: http.ServerResponse, error: unknown): void {
  try {
    if (res.headersSent || res.writableEnded || res.destroyed) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) return fail(res, error.status, error.code, error.message, { connection: 'close' });
    const wire: WireError = toWireError(error);
    send(res, STATUS[wire.code] ?? 500, { ok: false, error: wire } satisfies Envelope<never>);
  } catch {
    res.destroy();
  }
}

/**
 * Runs a request handler so that nothing it throws, synchronously or later, escapes: every failure
 * becomes an answer (see failWith). A rejection left unhandled would end the whole process, and
 * with it every run it was training.
 */
export function guard(res: http.ServerResponse, handler: () => void | Promise<void>): void {
  let done: Promise<void>;
  try {
    done = Promise.resolve(handler());
  } catch (e) {
    done = Promise.reject(e);
  }
  done.catch((e: unknown) => failWith(res, e));
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/** A complete HTTP/1.1 response with a JSON error envelope, for sockets that have no ServerResponse. */
export function rawResponse(status: number, message: string): string {
  const body = JSON.stringify({ ok: false, error: { name: 'AppError', code: 'VALIDATION', message } } satisfies Envelope<never>);
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`;
}

/** Status and words for a request Node's HTTP parser refused (err.code is llhttp's HPE_… name). */
export function clientErrorAnswer(error: Error & { code?: string }): [number, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request headers are too large'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'Chunk extensions are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'The request took too long to arrive'];
    default:
      return [400, `Malformed HTTP request (${error.code ?? error.message})`];
  }
}

/** Bytes read and dropped after an early answer before the connection is cut. */
const LINGER_BYTES = 8 << 20;

/** How long a request body may stall before an early answer goes out without the rest of it. */
const BODY_STALL_MS = 2_000;

/**
 * Resolves once the request's body has all arrived (what no handler reads is dropped), the client
 * has gone, more than 8 MiB came, or nothing came for 2 s (a body the parser never delivers, as
 * after an Upgrade header). An answer sent and its connection closed while the client is still
 * sending makes the rest of the body hit a closed socket, and the reset that follows can wipe the
 * answer before the client reads it (RFC 9112 §9.6).
 */
export function bodyRead(req: http.IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const events = ['end', 'close', 'aborted', 'error'] as const;
    let stall = setTimeout(() => done(), BODY_STALL_MS);
    const done = (): void => {
      clearTimeout(stall);
      for (const e of events) req.off(e, done);
      req.off('data', count);
      resolve();
    };
    const count = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > LINGER_BYTES) return done();
      clearTimeout(stall);
      stall = setTimeout(() => done(), BODY_STALL_MS);
    };
    for (const e of events) req.once(e, done);
    req.on('data', count);
    req.resume();
  });
}

/**
 * Ends a socket politely with `text` (a peer that never closes its side is dropped after 10 s), or
 * destroys it when that cannot be done; never throws.
 */
export function endSocket(socket: Duplex, text: string | null): void {
  socket.on('error', () => socket.destroy());
  try {
    if (text === null || !socket.writable) return void socket.destroy();
    (socket as Duplex & { setTimeout?(ms: number, cb: () => void): void }).setTimeout?.(10_000, () => socket.destroy());
    socket.end(text);
    // lingering close: what the client is still sending (the rest of a refused body) is read and
    // dropped, up to a cap, so the connection is not reset under the answer before the client reads it
    let drained = 0;
    socket.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > LINGER_BYTES) socket.destroy();
    });
    socket.resume();
  } catch {
    socket.destroy();
  }
}
