import { Rng } from '../../src-main/engine/rng';
import { CHANNEL_NAMES } from '../../src-shared/channels';

/** Where the generated requests go and the session's token. */
export interface FuzzTarget {
  port: number;
  token: string;
}

/**
 * The API channels a generated request may name with the right token. data/download is left out:
 * an empty body is a valid request for it, and it would go to the network for the real archive.
 */
const CHANNELS = CHANNEL_NAMES.filter((c) => c !== 'data/download');

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.nextInt(items.length)];
const chance = (rng: Rng, p: number): boolean => rng.nextFloat() < p;

/** `length` characters of `alphabet`; long texts repeat a random 64-character run (cheap to make). */
function randomText(rng: Rng, length: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < Math.min(length, 64); i++) s += alphabet[rng.nextInt(alphabet.length)];
  return length <= 64 ? s : s.repeat(Math.ceil(length / 64)).slice(0, length);
}

const PATH_CHARS = 'abcXYZ019-._~!$&\'()*+,;=:@/%';
const BAD_ESCAPES = ['%', '%f', '%ff', '%c0%af', '%zz', '%e2%82', '%ed%a0%80', '%00', '%2e%2e%2f', '..%c0%af..', '%%', '%u0041', '%fe%ff'];
const GOOD_PATHS = ['/', '/index.html', '/assets/', '/favicon.ico', '/..%2fsecret.txt', '/%2e%2e/%2e%2e/etc/passwd', '/api', '/api/', '/api/events', '/%2e', '//', '/./index.html', '/index.html%00.png'];

/** A path to a static file or an API route, often with a malformed percent-escape, sometimes overlong. */
function randomPath(rng: Rng, target: FuzzTarget): string {
  const roll = rng.nextInt(10);
  if (roll === 0) return `/${randomText(rng, rng.nextInt(2) ? 20_000 + rng.nextInt(10_000) : 4_000 + rng.nextInt(4_000), PATH_CHARS)}`;
  if (roll === 1) return `/api/events?token=${pick(rng, [target.token, 'wrong', '', '%ff', target.token.slice(1)])}`;
  if (roll <= 4) return `/api/${pick(rng, CHANNELS)}${chance(rng, 0.1) ? pick(rng, BAD_ESCAPES) : ''}`;
  if (roll === 5) return `/api/${randomText(rng, rng.nextInt(30), PATH_CHARS)}`;
  if (roll === 6) return pick(rng, ['*', `http://127.0.0.1:${target.port}/index.html`, 'http://evil.example/', 'index.html', `http://[::1:${target.port}/`]);
  let path = pick(rng, GOOD_PATHS);
  for (let i = rng.nextInt(4); i > 0; i--) path += chance(rng, 0.5) ? pick(rng, BAD_ESCAPES) : randomText(rng, rng.nextInt(12), PATH_CHARS);
  return chance(rng, 0.2) ? `${path}?${randomText(rng, rng.nextInt(40), PATH_CHARS + '?#')}` : path;
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'FOO', 'get', 'M-SEARCH', 'G\x00T', 'CONNECT', ''];

/** A random JSON value: scalars, arrays, objects with odd keys (__proto__, constructor), strings with odd characters. */
function randomJson(rng: Rng, depth = 0): unknown {
  const roll = rng.nextInt(depth > 3 ? 5 : 8);
  if (roll === 0) return null;
  if (roll === 1) return chance(rng, 0.5);
  if (roll === 2) return pick(rng, [0, -1, 1.5, 1e308, -0, 2 ** 53, 42, 4096, 1e-9]);
  if (roll === 3) return randomText(rng, rng.nextInt(20), 'ab\u00e9\u2028\ud83d\ude00"\\/\n\t ');
  if (roll === 4) return pick(rng, ['sgd', 'adam', 'train', 'x', '']);
  if (roll === 5) return Array.from({ length: rng.nextInt(5) }, () => randomJson(rng, depth + 1));
  const keys = ['spec', 'id', 'path', 'split', 'index', 'name', 'axes', 'base', 'field', 'values', 'limit', '__proto__', 'constructor', 'toString', 'hidden', 'url'];
  const o: Record<string, unknown> = {};
  for (let i = rng.nextInt(5); i > 0; i--) Object.defineProperty(o, pick(rng, keys), { value: randomJson(rng, depth + 1), enumerable: true, configurable: true, writable: true });
  return o;
}

/** A request body: JSON that may or may not fit the channel, malformed JSON, deeply nested JSON, binary junk or more than the 1 MiB limit. */
function randomBody(rng: Rng): Buffer {
  const roll = rng.nextInt(20);
  if (roll < 6) return Buffer.from(JSON.stringify(randomJson(rng)) ?? 'null');
  if (roll < 9) {
    const field = pick(rng, ['__proto__', 'toString', 'constructor', 'learningRate', 'hidden', 'seed', 'valueOf']);
    return Buffer.from(JSON.stringify({ spec: { name: 'fuzz', axes: [{ field, values: [randomJson(rng)] }], base: chance(rng, 0.5) ? {} : { hidden: [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096], batchSize: 4096, optimizer: 'adam' } } }));
  }
  if (roll < 11) return Buffer.from(pick(rng, ['{', '{"a":', '[1,2', '{"spec":}', 'nul', '"\\ud800"', '{"a":1}}', '\u0000', '{"a":1,}']));
  if (roll < 13) {
    const depth = pick(rng, [65, 65, 1_000, 1_000, 20_000, 150_000]);
    return Buffer.from(`{"spec":${'['.repeat(depth)}${']'.repeat(depth)}}`);
  }
  if (roll < 15) return Buffer.from(Array.from({ length: rng.nextInt(2_000) }, () => rng.nextInt(256)));
  if (roll === 15 && chance(rng, 0.1)) return Buffer.alloc((1 << 20) + 1 + rng.nextInt(100_000), 0x20);
  return Buffer.alloc(0);
}

const HEADER_NAME = 'abcdefghijklmnopqrstuvwxyz-ABCXYZ0123456789!#$%&\'*+.^_`|~';
const HEADER_VALUE = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~\t\u00e9\u00ff';

/** Headers as lines (no CRLF inside): the expected ones, often missing, wrong, duplicated or oversized, and junk. */
function randomHeaders(rng: Rng, target: FuzzTarget, bodyLength: number): { lines: string[]; chunked: boolean } {
  const lines: string[] = [];
  const host = `127.0.0.1:${target.port}`;
  const hostRoll = rng.nextInt(10);
  if (hostRoll < 7) lines.push(`Host: ${pick(rng, [host, host, `localhost:${target.port}`, `[::1]:${target.port}`])}`);
  else if (hostRoll === 7) lines.push(`Host: ${pick(rng, ['evil.example', `attacker.test:${target.port}`, '', host.toUpperCase()])}`);
  else if (hostRoll === 8) lines.push(`Host: ${host}`, `Host: ${pick(rng, [host, 'evil.example'])}`);
  const authRoll = rng.nextInt(10);
  if (authRoll < 5) lines.push(`Authorization: Bearer ${target.token}`);
  else if (authRoll < 7) lines.push(`Authorization: ${pick(rng, ['Bearer wrong', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${target.token}x`, `bearer ${target.token}`])}`);
  else if (authRoll === 7) lines.push(`Authorization: Bearer ${target.token}`, 'Authorization: Bearer other');
  else if (authRoll === 8) lines.push(`Authorization: Bearer ${randomText(rng, 10_000, HEADER_NAME)}`);
  if (chance(rng, 0.75)) lines.push(`Content-Type: ${pick(rng, ['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/jsonx', '', 'multipart/form-data; boundary=x'])}`);
  const chunked = chance(rng, 0.1);
  if (chunked) lines.push('Transfer-Encoding: chunked');
  else if (bodyLength > 0 || chance(rng, 0.3)) {
    const lengthRoll = rng.nextInt(20);
    if (lengthRoll === 0) lines.push(`Content-Length: ${bodyLength}`, `Content-Length: ${bodyLength + 1}`);
    else if (lengthRoll === 1) lines.push(`Content-Length: ${pick(rng, ['abc', '-1', '99999999999999999999999', ' 1 2', '0x10'])}`);
    else lines.push(`Content-Length: ${bodyLength}`);
  }
  if (chance(rng, 0.8)) lines.push(`Connection: ${pick(rng, ['close', 'close', 'keep-alive', 'Upgrade', 'close, Upgrade'])}`);
  if (chance(rng, 0.05)) lines.push('Upgrade: websocket');
  if (chance(rng, 0.05)) lines.push(`Expect: ${pick(rng, ['100-continue', 'something-else'])}`);
  for (let i = chance(rng, 0.05) ? 150 + rng.nextInt(150) : rng.nextInt(4); i > 0; i--) {
    lines.push(`${randomText(rng, 1 + rng.nextInt(20), HEADER_NAME)}: ${randomText(rng, rng.nextInt(60), HEADER_VALUE)}`);
  }
  if (chance(rng, 0.03)) lines.push(`X-Big: ${randomText(rng, 20_000 + rng.nextInt(20_000), HEADER_NAME)}`);
  if (chance(rng, 0.05)) lines.push(pick(rng, ['No colon here', ' Leading-Space: x', 'Bad\u0000Name: x', 'X-Ctl: a\u0001b', 'X-Del: \u007f', ': empty-name', 'X Space: y']));
  return { lines, chunked };
}

/** The body in chunked transfer coding: well formed, or with a chunk size that is not hex. */
function chunk(rng: Rng, body: Buffer): Buffer {
  if (chance(rng, 0.2)) return Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const size = Math.min(body.length - at, 1 + rng.nextInt(4096));
    parts.push(Buffer.from(`${size.toString(16)}${chance(rng, 0.05) ? ';ext=1' : ''}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/**
 * One generated request, as raw bytes, from a seeded generator. The header section always ends and
 * a body is never shorter than announced, so the server has all it needs to answer (or to refuse).
 */
export function fuzzRequest(rng: Rng, target: FuzzTarget): Buffer {
  const method = pick(rng, METHODS);
  const path = method === 'CONNECT' ? pick(rng, [`127.0.0.1:${target.port}`, 'evil.example:443', '/index.html']) : randomPath(rng, target);
  const version = pick(rng, ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.9', 'HTTP/x', '']);
  const body = method === 'POST' || chance(rng, 0.1) ? randomBody(rng) : Buffer.alloc(0);
  const { lines, chunked } = randomHeaders(rng, target, body.length);
  const requestLine = chance(rng, 0.02) ? pick(rng, ['PRI * HTTP/2.0', 'GET', 'GET /', ' GET / HTTP/1.1', 'GET  / HTTP/1.1']) : `${method} ${path} ${version}`.trim();
  const head = Buffer.from(`${requestLine}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`, 'latin1');
  return Buffer.concat([head, chunked ? chunk(rng, body) : body]);
}
