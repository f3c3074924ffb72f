import type { IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_CHANNEL } from '../../src-shared/channels';
import type { Envelope } from '../../src-shared/envelope';
import { AppError, toWireError } from '../../src-shared/errors';
import type { WorkbenchApi } from '../api/workbenchApi';

/** The part of Electron's ipcMain the adapter uses (a fake one in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Where pushed events go: every window's webContents. */
export interface EventTarget {
  send(channel: string, message: unknown): void;
}

/**
 * Exposes the API over Electron IPC: one handler per channel of the contract. Each handler checks
 * that the call comes from a frame of our own renderer (not an iframe, a navigated-away page or
 * another origin), then hands the payload to the API, which validates it against the shared schema.
 */
export function registerIpc(ipcMain: IpcMainLike, api: WorkbenchApi, isTrustedUrl: (url: string) => boolean, targets: () => EventTarget[]): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, payload): Promise<Envelope<unknown>> => {
      try {
        const frame = event.senderFrame;
        if (!frame || frame !== event.sender.mainFrame || !isTrustedUrl(frame.url)) {
          throw new AppError('VALIDATION', `Refused ${channel}: the request did not come from the workbench window`);
        }
        return { ok: true, value: await api.call(channel, payload) };
      } catch (e) {
        return { ok: false, error: toWireError(e) };
      }
    });
  }
  const unsubscribe = api.subscribe((name, payload) => {
    for (const t of targets()) t.send(EVENT_CHANNEL, { name, payload });
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}
