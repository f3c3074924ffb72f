import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { ensureRunModel } from '../helpers/runModel';

// The desktop app's model export: the Electron binary cannot run here, so the real main module is
// loaded against a stand-in for the `electron` module (as in electronMain.test.ts), and the save
// dialog's answer is scripted. It checks that the path comes from main's dialog and that the file
// written there is the run's model.
const root = mkdtempSync(join(tmpdir(), 'electron-export-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const windows: { loaded: string }[] = [];
  const dialogCalls: { parent: unknown; options: { defaultPath?: string; filters?: { extensions: string[] }[] } }[] = [];
  const answer = { value: null as string | null };
  class BrowserWindow {
    loaded = '';
    webContents = { setWindowOpenHandler: () => undefined, on: () => undefined, send: () => undefined };
    constructor() {
      windows.push(this);
    }
    once(): void {}
    loadFile(p: string): Promise<void> {
      this.loaded = p;
      return Promise.resolve();
    }
    static getAllWindows() {
      return windows;
    }
    static getFocusedWindow() {
      return windows[0] ?? null;
    }
  }
  return { handlers, windows, BrowserWindow, dialogCalls, answer, home: '', documents: '' };
});

vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on: () => undefined,
    getPath: (name: string) => (name === 'documents' ? fake.documents : fake.home),
    getAppPath: () => process.cwd(),
    quit: () => undefined,
  },
  BrowserWindow: fake.BrowserWindow,
  ipcMain: { handle: (c: string, h: (e: unknown, p: unknown) => Promise<unknown>) => fake.handlers.set(c, h), removeHandler: (c: string) => fake.handlers.delete(c) },
  shell: { openExternal: async () => undefined },
  dialog: {
    showErrorBox: () => undefined,
    showSaveDialog: async (parent: unknown, options: { defaultPath?: string }) => {
      fake.dialogCalls.push({ parent, options });
      return fake.answer.value === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: fake.answer.value };
    },
  },
  // no system notifications in a test (experimentNotifications asks first)
  Notification: class {
    static isSupported(): boolean {
      return false;
    }
    show(): void {}
  },
}));

let runId: number;
let modelBytes: Buffer;
beforeAll(async () => {
  // a finished run with its model, in the home the app opens
  const wb = openWorkbench(home, { workers: 1 });
  await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(20, 30)) });
  const e = await wb.api.call('experiments/create', { spec: { name: 'export', base: { epochs: 1, hidden: [4] }, repeats: 1 } });
  [{ id: runId }] = await wb.api.call('runs/list', { experimentId: e.id });
  await wb.runner.whenIdle();
  modelBytes = readFileSync(await ensureRunModel(wb, runId));
  await wb.close();
  fake.home = home;
  fake.documents = join(root, 'Documents');
  await import('../../src-main/main/index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 30_000 });
});

describe('Export model in the desktop app', () => {
  it('asks main\'s save dialog where to save the run\'s model, writes it there, and does nothing when cancelled', async () => {
    const own = pathToFileURL(fake.windows[0].loaded).href;
    const mainFrame = { url: own };
    const call = (payload: unknown) => fake.handlers.get('runs/exportModel')!({ senderFrame: mainFrame, sender: { mainFrame } }, payload);

    const dest = join(root, 'chosen.safetensors');
    fake.answer.value = dest;
    expect(await call({ id: runId })).toEqual({ ok: true, value: { saved: true, path: dest, bytes: modelBytes.length } });
    expect(readFileSync(dest)).toEqual(modelBytes);
    const [first] = fake.dialogCalls;
    expect(first.parent).toBe(fake.windows[0]);
    expect(first.options.defaultPath).toBe(join(root, 'Documents', `run-${runId}.safetensors`));
    expect(first.options.filters?.[0].extensions).toEqual(['safetensors']);

    fake.answer.value = null;
    expect(await call({ id: runId })).toEqual({ ok: true, value: { saved: false, path: null, bytes: 0 } });
    // a path from the page is refused by the schema before any dialog opens
    const calls = fake.dialogCalls.length;
    expect(await call({ id: runId, path: '/tmp/evil' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(fake.dialogCalls).toHaveLength(calls);
  });
});
