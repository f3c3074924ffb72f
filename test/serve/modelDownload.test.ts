import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench, type Workbench } from '../../src-main/api/openWorkbench';
import { startHttpServer } from '../../src-main/serve/httpServer';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { syntheticDataset } from '../helpers/synthetic';
import { trainedModel } from '../helpers/trainedModel';

// Browser mode's model download over real HTTP: GET /api/runs/<id>/model streams the run's model
// file, found by the run's id only, behind the session token.

const root = mkdtempSync(join(tmpdir(), 'model-download-'));
let wb: Workbench;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let base: string;
let runId: number;
let queuedId: number;
let bytes: Buffer;

beforeAll(async () => {
  wb = openWorkbench(join(root, 'home'), { workers: 1 });
  mkdirSync(join(root, 'static'));
  server = await startHttpServer({ api: wb.api, staticDir: join(root, 'static') });
  base = `http://127.0.0.1:${server.port}`;
  // no dataset in this home: the runs stay queued, and a model is placed for the first one
  const e = await wb.api.call('experiments/create', { spec: { name: 'download', base: { epochs: 1, hidden: [6] }, repeats: 2 } });
  [runId, queuedId] = (await wb.api.call('runs/list', { experimentId: e.id })).map((r) => r.id);
  const { model } = await trainedModel({ epochs: 1, hidden: [6] }, syntheticDataset(100, 50, 2), runId);
  const files = new RunFiles(wb.dataset.home);
  files.writeModel(runId, model);
  bytes = readFileSync(files.modelPath(runId));
});
afterAll(async () => {
  await server?.close();
  await wb?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);
/** The error message of a JSON error answer. */
const messageOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { message: string } }).error.message;
const withToken = (path: string) => `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(server.token)}`;

describe('GET /api/runs/<id>/model', () => {
  it('streams the model file as an attachment named after the run, with the token in the query or the Authorization header', async () => {
    const res = await get(withToken(`/api/runs/${runId}/model`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="run-${runId}.safetensors"`);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    const bearer = await get(`/api/runs/${runId}/model`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(Buffer.from(await bearer.arrayBuffer())).toEqual(bytes);
  });

  it('answers HEAD with the headers only', async () => {
    const res = await get(withToken(`/api/runs/${runId}/model`), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('refuses a request without the right token', async () => {
    expect((await get(`/api/runs/${runId}/model`)).status).toBe(401);
    expect((await get(`/api/runs/${runId}/model?token=wrong`)).status).toBe(401);
    const res = await get(`/api/runs/${runId}/model`, { headers: { authorization: 'Bearer nope' } });
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Missing or wrong token' } });
  });

  it('says why there is no file: no such run, not finished, no best-epoch model', async () => {
    const none = await get(withToken('/api/runs/9999/model'));
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'No run 9999' } });
    const queued = await get(withToken(`/api/runs/${queuedId}/model`));
    expect(queued.status).toBe(404);
    expect(await messageOf(queued)).toMatch(/no model yet: it is queued/);
    const best = await get(withToken(`/api/runs/${runId}/model?which=best`));
    expect(best.status).toBe(404);
    expect(await messageOf(best)).toMatch(/kept no best-epoch model/);
  });

  it('takes only a run id and final or best, never a path', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '..%2F..%2Fworkbench.sqlite', '%2Fetc%2Fpasswd', '99999999999']) {
      const res = await get(withToken(`/api/runs/${id}/model`));
      expect(res.status, id).toBe(400);
      expect(await messageOf(res)).toMatch(/is not a run id/);
    }
    const which = await get(withToken(`/api/runs/${runId}/model?which=../../workbench.sqlite`));
    expect(which.status).toBe(400);
    expect(await messageOf(which)).toMatch(/which must be final or best/);
    expect((await get(withToken(`/api/runs/${runId}/model`), { method: 'POST' })).status).toBe(405);
    expect((await get(withToken(`/api/runs/${runId}/model/extra`))).status).toBe(401);
  });
});
