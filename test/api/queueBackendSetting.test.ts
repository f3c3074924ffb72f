import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { DB_FILE } from '../../src-main/store/database';
import { startHttpServer } from '../../src-main/serve/httpServer';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { redisUnavailable, startRedis } from '../helpers/redisServer';
import { homeWith } from '../helpers/redisWorkers';

const root = mkdtempSync(join(tmpdir(), 'queue-backend-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let homes = 0;
const newHome = () => join(root, `home${++homes}`);

function open(home: string, options: Parameters<typeof openWorkbench>[1] = {}) {
  const wb = openWorkbench(home, { workers: 1, ...options });
  onTestFinished(() => wb.close());
  return wb;
}

/** The queue rows of the settings table, as the file holds them. */
function storedRows(home: string): Record<string, string> {
  const db = new Database(join(home, DB_FILE), { readonly: true });
  try {
    const rows = db.prepare<[], { key: string; value: string }>("SELECT key, value FROM settings WHERE key LIKE 'queue.%' AND key != 'queue.paused'").all();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  } finally {
    db.close();
  }
}

const fieldError = (message: unknown) => ({ code: 'VALIDATION', issues: [{ path: 'redisUrl', message }] });

describe('the queue backend setting (settings/get, settings/set)', () => {
  it('is local with no URL until chosen, and says the local queue is in use', async () => {
    const wb = open(newHome());
    expect(await wb.api.call('settings/get', {})).toMatchObject({ queueBackend: 'local', redisUrl: '', redisTls: false, queueInUse: { backend: 'local', url: null, problem: null, named: false } });
  });

  it.each([
    ['Redis without a URL', { queueBackend: 'redis' as const }, expect.stringContaining('Give the URL of the Redis server')],
    ['a URL that is not one', { queueBackend: 'redis' as const, redisUrl: 'localhost 6379' }, expect.stringContaining("'localhost 6379' is not a Redis URL")],
    ['another scheme', { queueBackend: 'redis' as const, redisUrl: 'http://10.0.0.2:6379' }, expect.stringContaining('is not a Redis URL (redis:// or rediss://)')],
    ['a database that is not a number', { redisUrl: 'redis://10.0.0.2:6379/queue' }, expect.stringContaining('the database after the port must be a number')],
    ['a password in the URL', { queueBackend: 'redis' as const, redisUrl: 'redis://:s3cret@10.0.0.2:6379' }, expect.stringContaining('Leave the password out of the URL: it is not saved in the history; set WORKBENCH_REDIS_PASSWORD')],
  ])('refuses %s at the Redis URL field and saves nothing of the change', async (_what, change, message) => {
    const home = newHome();
    const wb = open(home);
    await expect(wb.api.call('settings/set', { ...change, autoResume: true })).rejects.toMatchObject(fieldError(message));
    expect(await wb.api.call('settings/get', {})).toMatchObject({ queueBackend: 'local', redisUrl: '', autoResume: false });
    expect(storedRows(home)).toEqual({});
  });

  it('refuses a URL over HTTP with the issue at the field (what the form shows)', async () => {
    const wb = open(newHome());
    const server = await startHttpServer({ api: wb.api, staticDir: root });
    onTestFinished(() => server.close());
    const res = await fetch(`http://127.0.0.1:${server.port}/api/settings/set`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: JSON.stringify({ queueBackend: 'redis', redisUrl: 'ftp://x' }),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: fieldError(expect.stringContaining("'ftp://x' is not a Redis URL")) });
  });

  it('saves a Redis queue, used from the next start (with the password from outside the database), not by this one', async () => {
    const home = newHome();
    const wb = open(home);
    const after = await wb.api.call('settings/set', { queueBackend: 'redis', redisUrl: '  redis://10.0.0.2:6390/2  ', redisTls: true });
    expect(after).toMatchObject({ queueBackend: 'redis', redisUrl: 'redis://10.0.0.2:6390/2', redisTls: true, queueInUse: { backend: 'local', url: null } });
    expect(storedRows(home)).toEqual({ 'queue.backend': 'redis', 'queue.redisUrl': 'redis://10.0.0.2:6390/2', 'queue.redisTls': 'true' });
    // keeping the URL and going back to local is a valid change too; a later valid change of one field keeps the others
    expect(await wb.api.call('settings/set', { redisTls: false })).toMatchObject({ queueBackend: 'redis', redisUrl: 'redis://10.0.0.2:6390/2', redisTls: false });
    await wb.close();
    const again = open(home, { redisPassword: 'from-the-flag' });
    expect((await again.api.call('settings/get', {})).queueInUse).toEqual({ backend: 'redis', url: 'redis://10.0.0.2:6390/2', problem: null, named: false });
    expect(JSON.stringify(storedRows(home))).not.toContain('from-the-flag');
    await again.close();
    // a queue named by the caller wins over the saved one
    const named = open(home, { redis: { url: 'redis://10.0.0.3:6379' } });
    expect((await named.api.call('settings/get', {})).queueInUse).toMatchObject({ backend: 'redis', url: 'redis://10.0.0.3:6379', named: true });
  });

  it('a saved URL edited by hand into one that cannot be used leaves the local queue in use and says why', async () => {
    const home = newHome();
    open(home);
    const db = new Database(join(home, DB_FILE));
    db.prepare("INSERT INTO settings (key, value) VALUES ('queue.backend', 'redis'), ('queue.redisUrl', 'http://nope')").run();
    db.close();
    const wb = open(home);
    expect((await wb.api.call('settings/get', {})).queueInUse).toEqual({
      backend: 'local', url: null, problem: expect.stringContaining("The saved Redis queue cannot be used ('http://nope' is not a Redis URL"), named: false,
    });
    expect(wb.runner.status().remote).toBeUndefined();
  });
});

const missing = redisUnavailable();
if (missing) console.log(`skipped: the saved Redis queue at start needs a real Redis: ${missing}`);

describe.skipIf(missing !== null)('the saved Redis queue at start (real redis-server)', () => {
  it('a workbench opened without `redis` uses the saved queue and connects at start-up, before any run is queued', async () => {
    const redis = await startRedis();
    onTestFinished(() => redis.close());
    const home = newHome();
    await homeWith(home, writeCifarTarGz(join(root, 'saved.tar.gz'), cifarMembers(20, 10)));
    const first = open(home);
    await first.api.call('settings/set', { queueBackend: 'redis', redisUrl: redis.url });
    expect((await first.api.call('queue/status', {})).remote).toBeUndefined();
    await first.close();
    const wb = open(home);
    void wb.api.startUp();
    await expect.poll(async () => (await wb.api.call('queue/status', {})).remote, { timeout: 30_000 }).toMatchObject({ url: redis.url, connected: true, workers: [] });
  }, 60_000);
});
