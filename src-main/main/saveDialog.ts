import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import type { SaveDialog } from '../api/insightHandlers';

/**
 * The desktop app's save dialog for exported models, shown by main over the focused window: the
 * path a file is written to always comes from here, never from the renderer.
 */
export const modelSaveDialog: SaveDialog = async (suggestedName) => {
  const options: Electron.SaveDialogOptions = {
    title: 'Export model',
    defaultPath: join(app.getPath('documents'), suggestedName),
    buttonLabel: 'Export',
    filters: [{ name: 'safetensors model', extensions: ['safetensors'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
};
