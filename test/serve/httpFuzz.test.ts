import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src-main/engine/rng';
import { MAX_BODY } from '../../src-main/serve/requestBody';
import { rawRequest, type RawAnswer } from '../helpers/rawHttp';
import { fuzzRequest } from '../helpers/requestFuzzer';
import { startServeProcess, type ServeProcess } from '../helpers/serveProcess';

/** Node's default maxHeaderSize (workbench serve keeps it). */
const HEADER_LIMIT = 16 * 1024;
const REQUESTS = 10_000;
const CONNECTIONS = 4;

let server: ServeProcess;
beforeAll(async () => {
  server = await startServeProcess();
});
afterAll(async () => {
  await server?.stop();
});

/** The server is alive and serving: the index page and an API call with the token both work. */
async function expectServing(): Promise<void> {
  expect(server.alive(), server.stderr()).toBe(true);
  const page = await fetch(`${server.base}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="app">');
  const status = await fetch(`${server.base}/api/data/status`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: '{}' });
  expect(status.status).toBe(200);
  expect(await status.json()).toMatchObject({ ok: true, value: { state: 'absent' } });
}

describe('workbench serve under hostile requests (a real process)', () => {
  it('answers malformed percent-escapes from any web page with a 400 and keeps serving', async () => {
    // what an <img src="http://127.0.0.1:PORT/%ff"> on any site sends: the right Host, no token
    const expected: Record<string, number> = { '/%ff': 400, '/%': 400, '/..%c0%af..': 400, '/assets/%e2%82': 400, '/api/%ff': 401 };
    for (const [path, status] of Object.entries(expected)) {
      const answer = await rawRequest(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
      expect(answer.status, `${path}: ${answer.head || answer.error || 'closed without an answer'}\n${server.stderr()}`).toBe(status);
    }
    const escape = await fetch(`${server.base}/%ff`);
    expect(escape.status).toBe(400);
    expect(await escape.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Malformed percent-escape in the URL path' } });
    await expectServing();
  });

  it(`answers each of ${REQUESTS} generated requests, and is still alive and serving after them`, async () => {
    const rng = new Rng(0x5eed, 7);
    const counts = new Map<string, number>();
    const unanswered: { request: string; answer: RawAnswer }[] = [];
    let sent = 0;
    const lane = async (): Promise<void> => {
      while (sent < REQUESTS && server.alive()) {
        sent += 1;
        const request = fuzzRequest(rng, { port: server.port, token: server.token });
        const answer = await rawRequest(server.port, request);
        const key = answer.status === null ? 'no answer' : String(answer.status);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        // a request declaring a body over the server's 1 MiB limit, or whose head is over Node's 16 KiB
        // header limit, may be refused and its connection closed while the client is still sending;
        // TCP can then reset the answer away (RFC 9112 §9.6), so only those may go unanswered — every
        // other request must get its answer
        const declared = Number(/\r\ncontent-length: *(\d+)/i.exec(request.subarray(0, 4096).toString('latin1'))?.[1] ?? 0);
        const headEnd = request.indexOf('\r\n\r\n');
        const head = headEnd < 0 ? request.length : headEnd;
        if (answer.status === null && declared <= MAX_BODY && head <= HEADER_LIMIT) unanswered.push({ request: request.subarray(0, 300).toString('latin1'), answer });
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, lane));
    const table = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `  ${status.padEnd(9)} ${n}`);
    console.log(`HTTP fuzz: ${sent} requests over ${CONNECTIONS} connections at a time, by status:\n${table.join('\n')}`);
    expect(server.alive(), `the server process ended:\n${server.stderr()}`).toBe(true);
    expect(sent).toBe(REQUESTS);
    expect(unanswered.slice(0, 5), JSON.stringify(unanswered.slice(0, 5), null, 1)).toEqual([]);
    expect(server.stderr()).not.toMatch(/Error|unexpected/);
    await expectServing();
  });
});
