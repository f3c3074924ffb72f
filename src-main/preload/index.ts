import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge';

/** One function per API channel, derived from the shared channel list (see bridge.ts). */
contextBridge.exposeInMainWorld('workbench', buildBridge(ipcRenderer));
