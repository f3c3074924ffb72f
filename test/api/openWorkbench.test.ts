import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { startHttpServer } from '../../src-main/serve/httpServer';
import { writeDamagedHome } from '../helpers/damagedFiles';
import { writeSavedHistory } from '../helpers/savedHistory';

const root = mkdtempSync(join(tmpdir(), 'open-workbench-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const staticDir = join(root, 'static');
mkdirSync(staticDir);
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wb</title>');

describe('openWorkbench over a damaged database', () => {
  it('opens; the dataset still answers; every history request gets the specific error, also over HTTP', async () => {
    const { home, path, bytes } = writeDamagedHome(root, 'a 0-byte file', 'damaged');
    const wb = openWorkbench(home, { workers: 1 });
    const damaged = { name: 'DatabaseDamaged', code: 'IO', message: expect.stringContaining(`The experiment database ${path} is damaged: it is empty (0 bytes)`) };
    try {
      expect(await wb.api.call('data/status', {})).toMatchObject({ state: 'absent' });
      for (const [channel, payload] of [['experiments/list', {}], ['runs/page', { limit: 50, offset: 0 }], ['runs/get', { id: 1 }], ['queue/status', {}], ['experiments/create', { spec: { name: 'x' } }]] as const) {
        await expect(wb.api.call(channel, payload), channel).rejects.toMatchObject(damaged);
      }
      const server = await startHttpServer({ api: wb.api, staticDir });
      try {
        const answer = await fetch(`http://127.0.0.1:${server.port}/api/experiments/list`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: '{}',
        });
        expect(await answer.json()).toMatchObject({ ok: false, error: damaged });
      } finally {
        await server.close();
      }
    } finally {
      await wb.close();
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});

describe('openWorkbench read-only (WORKBENCH_READONLY, or a home that cannot be written)', () => {
  it('serves listing, run detail and compare; every write says the database is read-only; the file is unchanged', async () => {
    const home = join(root, 'read-only');
    const path = writeSavedHistory(home);
    const bytes = readFileSync(path);
    const wb = openWorkbench(home, { workers: 1, readOnly: true });
    try {
      expect((await wb.api.call('experiments/list', {})).map((e) => e.name)).toEqual(['waiting', 'saved']);
      expect((await wb.api.call('runs/page', { limit: 50, offset: 0 })).total).toBe(5);
      expect((await wb.api.call('runs/get', { id: 2 })).epochs).toHaveLength(3);
      const results = await wb.api.call('experiments/results', { id: 1 });
      expect(results.map((r) => r.epochs.length)).toEqual([3, 3, 3, 3]);
      const status = await wb.api.call('queue/status', {});
      expect(status).toMatchObject({ queued: 1, running: [] });
      expect(status.blocked).toContain(`The experiment database ${path} is open read-only (read-only was asked for): queued runs cannot start here`);
      const readOnly = { name: 'DatabaseReadOnly', code: 'IO', message: expect.stringContaining(`Cannot save changes: the experiment database ${path} is open read-only`) };
      const writes = [
        ['experiments/create', { spec: { name: 'more', base: { epochs: 1 } } }],
        ['runs/annotate', { id: 1, notes: 'hello' }],
        ['experiments/annotate', { id: 1, addTags: ['x'] }],
        ['experiments/delete', { id: 1 }],
        ['runs/cancel', { id: 5 }],
      ] as const;
      for (const [channel, payload] of writes) await expect(wb.api.call(channel, payload), channel).rejects.toMatchObject(readOnly);
      expect((await wb.api.call('experiments/list', {})).map((e) => e.notes)).toEqual(['', '']);
    } finally {
      await wb.close();
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});
