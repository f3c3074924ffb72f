import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { CSP, startHttpServer } from '../../src-main/serve/httpServer';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'serve-'));
const staticDir = join(root, 'static');
mkdirSync(staticDir);
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wb</title>');
writeFileSync(join(root, 'secret.txt'), 'do not serve');
const api = new WorkbenchApi({ dataset: new DatasetManager(join(root, 'home')) });
let server: Awaited<ReturnType<typeof startHttpServer>>;
let base: string;

beforeAll(async () => {
  server = await startHttpServer({ api, staticDir });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const call = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers }, body: JSON.stringify(body) });

function rawGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('browser mode HTTP server', () => {
  it('refuses to bind to a non-loopback address', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) {
      await expect(startHttpServer({ api, staticDir, host })).rejects.toThrow(/only binds to a loopback address/);
    }
  });

  it('prints a loopback URL carrying the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a missing or wrong token', async () => {
    expect((await fetch(`${base}/api/data/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    const wrong = await call('data/status', {}, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { message: 'Missing or wrong token' } });
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });

  it('refuses a wrong Host header (DNS rebinding), for pages and the API', async () => {
    expect(await rawGet('/', 'evil.example')).toBe(403);
    expect(await rawGet('/', `attacker.test:${server.port}`)).toBe(403);
    expect(await rawGet('/', `127.0.0.1:${server.port}`)).toBe(200);
    expect(await rawGet('/', `localhost:${server.port}`)).toBe(200);
  });

  it('answers API calls with envelopes and clear errors', async () => {
    const ok = await call('data/status', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { state: 'absent' } });
    const invalid = await call('data/image', { split: 'x', index: 0 });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'split' }] } });
    expect((await call('nope/x', {})).status).toBe(404);
    expect((await fetch(`${base}/api/data/status`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await fetch(`${base}/api/data/status`, { headers: { authorization: `Bearer ${server.token}` } })).status).toBe(405);
  });

  it('serves the renderer with a CSP header and never outside its folder', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(await page.text()).toContain('<title>wb</title>');
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
  });

  it('streams events over SSE to a client with the token', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events?token=${server.token}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const archive = writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(4, 4));
    await call('data/import', { path: archive });
    let text = '';
    while (!text.includes('event: data/progress')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: data\/progress\ndata: \{"phase":"extract"/);
    controller.abort();
  });
});
