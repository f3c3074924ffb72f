import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-shared/api';
import { ValidationError } from '../../src-shared/errors';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const api = new WorkbenchApi({ dataset: new DatasetManager(join(root, 'home')) });

describe('WorkbenchApi (data channels)', () => {
  it('validates every payload against the shared schema, naming the field', async () => {
    await expect(api.call('data/image', { split: 'valid', index: 0 })).rejects.toThrow(/split: /);
    await expect(api.call('data/image', { split: 'test', index: -1 })).rejects.toThrow(/index: Too small/);
    await expect(api.call('data/image', { split: 'test', index: 1.5 })).rejects.toThrow(/index: .*expected int/);
    await expect(api.call('data/status', { extra: 1 })).rejects.toThrow(/extra: unknown field/);
    await expect(api.call('data/download', { url: 'file:///etc/passwd' })).rejects.toBeInstanceOf(ValidationError);
    await expect(api.call('data/import', { path: 42 })).rejects.toThrow(/path: /);
    await expect(api.call('nope/nothing' as 'data/status', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs the handlers and pushes progress events to subscribers', async () => {
    expect((await api.call('data/status', {})).state).toBe('absent');
    const events: string[] = [];
    const off = api.subscribe((event, p) => void (event === 'data/progress' && events.push(`${event}:${p.phase}`)));
    const archive = writeCifarTarGz(join(root, 'a.tar.gz'), cifarMembers(6, 6));
    const status = await api.call('data/import', { path: archive });
    off();
    expect(status.state).toBe('ready');
    expect(events).toContain('data/progress:extract');
    const img = await api.call('data/image', { split: 'train', index: 3 });
    expect(Buffer.from(img.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(img.label).toBe(3);
    expect((await api.call('data/verify', {})).ok).toBe(true);
    const gallery = await api.call('data/samples', { split: 'train', perClass: 2 });
    expect(gallery.samples).toHaveLength(12);
    expect(gallery.samples.slice(0, 2)).toEqual([{ label: 0, index: 0 }, { label: 0, index: 6 }]);
    expect(new Set(gallery.samples.map((s) => s.label)).size).toBe(6);
    expect(await api.call('data/cancel', {})).toEqual({ cancelled: false });
  });

  it('lists every channel of the contract', () => {
    expect(CHANNELS.filter((c) => c.startsWith('data/'))).toEqual(['data/status', 'data/download', 'data/import', 'data/cancel', 'data/verify', 'data/image', 'data/samples']);
    expect(CHANNELS).toContain('runs/list');
  });
});
