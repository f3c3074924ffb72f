import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { openWorkbench, type Workbench } from '../api/openWorkbench';
import { registerIpc } from './ipcAdapter';
import { modelSaveDialog } from './saveDialog';
import { notifyEndedExperiments } from './experimentNotifications';

/**
 * The Electron shell: one locked-down window showing the Vue renderer, the API served to it over
 * IPC. Everything behind the API runs under plain Node as well (CLI, browser mode, tests).
 */
const rendererIndex = join(__dirname, '../renderer/index.html');
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

/** Only our own page may call the API: the built index.html, or the dev server's origin. */
function isTrustedUrl(url: string): boolean {
  if (devUrl) return new URL(url).origin === new URL(devUrl).origin;
  return url.split('#')[0] === pathToFileURL(rendererIndex).href;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'CIFAR-10 Workbench',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
  return win;
}

/**
 * better-sqlite3 built for this Electron's ABI (scripts/electronNative.mjs, run by npm start). Null,
 * after telling the user, when it is missing: loading the Node build would crash with an ABI error.
 */
function sqliteBinding(): string | undefined | null {
  const electron = process.versions.electron;
  if (!electron) return undefined;
  const path = join(app.getAppPath(), '.native', `electron-${electron}`, 'better_sqlite3.node');
  if (existsSync(path)) return path;
  dialog.showErrorBox('CIFAR-10 Workbench', `The database module for Electron ${electron} is missing (${path}). Start the app with "npm start", which builds it.`);
  app.quit();
  return null;
}

/** Opens an allow-listed external link in the user's browser (no other way out of the app). */
function openExternal(url: string): void {
  if (/^https:\/\/www\.cs\.toronto\.edu\/~kriz\//.test(url)) void shell.openExternal(url);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let workbench: Workbench | null = null;
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(() => {
    const nativeBinding = sqliteBinding();
    if (nativeBinding === null) return;
    workbench = openWorkbench(app.getPath('userData'), { nativeBinding });
    workbench.api.useSaveDialog(modelSaveDialog);
    registerIpc(ipcMain, workbench.api, isTrustedUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
    notifyEndedExperiments(workbench.api);
    void workbench.api.startUp();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!workbench) return;
    event.preventDefault();
    const closing = workbench;
    workbench = null;
    void closing.close().finally(() => app.quit());
  });
}
