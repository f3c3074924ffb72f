import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../src-shared/channels';

// The Electron binary cannot run here, so this loads the real main module against a stand-in for
// the `electron` module and checks how it wires the window, IPC and the workbench. It does not
// replace starting the app on a desktop machine.
const home = mkdtempSync(join(tmpdir(), 'electron-main-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const appEvents = new Map<string, (...a: unknown[]) => unknown>();
  const windows: { opts: { webPreferences: Record<string, unknown> }; loaded: string; openHandler?: (d: { url: string }) => unknown; events: Map<string, (e: { preventDefault(): void }) => void> }[] = [];
  class BrowserWindow {
    opts: { webPreferences: Record<string, unknown> };
    loaded = '';
    openHandler?: (d: { url: string }) => unknown;
    events = new Map<string, (e: { preventDefault(): void }) => void>();
    webContents = {
      setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (this.openHandler = h),
      on: (name: string, h: (e: { preventDefault(): void }) => void) => this.events.set(name, h),
      send: () => undefined,
    };
    constructor(opts: { webPreferences: Record<string, unknown> }) {
      this.opts = opts;
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
  }
  const openExternal = { calls: [] as string[] };
  return { handlers, appEvents, windows, BrowserWindow, openExternal, home: '' };
});

vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on: (name: string, h: (...a: unknown[]) => unknown) => fake.appEvents.set(name, h),
    getPath: () => fake.home,
    getAppPath: () => process.cwd(),
    quit: () => undefined,
  },
  BrowserWindow: fake.BrowserWindow,
  ipcMain: { handle: (c: string, h: (e: unknown, p: unknown) => Promise<unknown>) => fake.handlers.set(c, h), removeHandler: (c: string) => fake.handlers.delete(c) },
  shell: { openExternal: async (url: string) => void fake.openExternal.calls.push(url) },
  dialog: { showErrorBox: () => undefined },
  // no system notifications in a test (experimentNotifications asks first)
  Notification: class {
    static isSupported(): boolean {
      return false;
    }
    show(): void {}
  },
}));

describe('Electron main process wiring', () => {
  it('opens one sandboxed window, denies navigation and popups, and serves every channel to its own page only', async () => {
    fake.home = home;
    await import('../../src-main/main/index');
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 30_000 });
    const [win] = fake.windows;
    expect(win.opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(String(win.opts.webPreferences.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(win.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(win.openHandler!({ url: 'https://www.cs.toronto.edu/~kriz/cifar.html' })).toEqual({ action: 'deny' });
    expect(fake.openExternal.calls).toEqual(['https://www.cs.toronto.edu/~kriz/cifar.html']);
    let prevented = false;
    win.events.get('will-navigate')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);

    expect([...fake.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    const frame = (url: string) => {
      const mainFrame = { url };
      return { senderFrame: mainFrame, sender: { mainFrame } };
    };
    const own = pathToFileURL(win.loaded).href;
    expect(await fake.handlers.get('data/status')!(frame(own), {})).toMatchObject({ ok: true, value: { state: 'absent', home } });
    expect(await fake.handlers.get('data/status')!(frame('https://evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const quit = fake.appEvents.get('will-quit')!;
    let held = false;
    quit({ preventDefault: () => (held = true) });
    expect(held).toBe(true);
  });
});
