import type { IpcMainInvokeEvent } from 'electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_CHANNEL } from '../../src-shared/channels';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { registerIpc, type IpcMainLike } from '../../src-main/main/ipcAdapter';

const root = mkdtempSync(join(tmpdir(), 'ipc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for Electron's ipcMain that records handlers so the test can invoke them. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

const APP_URL = 'file:///opt/workbench/out/renderer/index.html';
function eventFrom(url: string, { subframe = false } = {}): IpcMainInvokeEvent {
  const mainFrame = { url };
  const senderFrame = subframe ? { url } : mainFrame;
  return { senderFrame, sender: { mainFrame } } as unknown as IpcMainInvokeEvent;
}

describe('IPC adapter', () => {
  const ipc = new FakeIpcMain();
  const api = new WorkbenchApi({ dataset: new DatasetManager(join(root, 'home')) });
  const sent: unknown[] = [];
  const dispose = registerIpc(ipc, api, (url) => url === APP_URL, () => [{ send: (channel, message) => sent.push({ channel, message }) }]);
  const invoke = (channel: string, url: string, payload: unknown, opts = {}) => ipc.handlers.get(channel)!(eventFrom(url, opts), payload);

  it('registers exactly one handler per channel of the contract', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('answers a trusted sender with the API result', async () => {
    expect(await invoke('data/status', APP_URL, {})).toMatchObject({ ok: true, value: { state: 'absent' } });
  });

  it('refuses an untrusted sender: another URL, or a subframe of the window', async () => {
    for (const [url, opts] of [['https://evil.example/', {}], ['file:///tmp/other.html', {}], [APP_URL, { subframe: true }]] as const) {
      const r = (await invoke('data/status', url, {}, opts)) as { ok: boolean; error: { code: string; message: string } };
      expect(r.ok).toBe(false);
      expect(r.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/did not come from the workbench window/) });
    }
  });

  it('refuses an invalid payload with the offending field, as a rebuildable error', async () => {
    const r = (await invoke('data/image', APP_URL, { split: 'test', index: -3, extra: true })) as { ok: boolean; error: { code: string; issues: { path: string }[] } };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.issues.map((i) => i.path).sort()).toEqual(['extra', 'index']);
  });

  it('forwards API events to the windows and unregisters cleanly', async () => {
    await expect(invoke('data/import', APP_URL, { path: join(root, 'none.tar.gz') })).resolves.toMatchObject({ ok: false, error: { code: 'DATASET_MISSING' } });
    (api as unknown as { emit: (...a: unknown[]) => void }).emit('run/state', { runId: 1, experimentId: 1, status: 'finished', error: null });
    expect(sent).toContainEqual({ channel: EVENT_CHANNEL, message: { name: 'run/state', payload: { runId: 1, experimentId: 1, status: 'finished', error: null } } });
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});
