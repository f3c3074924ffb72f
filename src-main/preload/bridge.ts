import { CHANNEL_NAMES, EVENT_CHANNEL, type ChannelName } from '../../src-shared/channels';

/** The part of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, message: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): void;
}

export type WorkbenchBridge = { readonly [K in ChannelName]: (payload: unknown) => Promise<unknown> } & {
  readonly onEvent: (listener: (message: { name: string; payload: unknown }) => void) => () => void;
};

/**
 * What the preload exposes to the renderer: exactly one function per API channel plus one event
 * subscription, never ipcRenderer itself, so page code cannot reach any other channel.
 */
export function buildBridge(ipc: IpcRendererLike): WorkbenchBridge {
  const calls = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, (payload: unknown) => ipc.invoke(c, payload)]));
  const onEvent = (listener: (message: { name: string; payload: unknown }) => void): (() => void) => {
    const wrapped = (_event: unknown, message: unknown): void => listener(message as { name: string; payload: unknown });
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => ipc.removeListener(EVENT_CHANNEL, wrapped);
  };
  return Object.freeze({ ...calls, onEvent }) as WorkbenchBridge;
}
