import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_CHANNEL } from '../../src-shared/channels';
import { buildBridge, type IpcRendererLike } from '../../src-main/preload/bridge';

describe('preload bridge', () => {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, ((e: unknown, m: unknown) => void)[]>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, payload) => {
      calls.push([channel, payload]);
      return { ok: true, value: channel };
    },
    on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? []).filter((x) => x !== l)),
  };
  const bridge = buildBridge(ipc);

  it('exposes exactly one function per channel, plus onEvent, and nothing else', () => {
    expect(Object.keys(bridge).sort()).toEqual([...CHANNEL_NAMES, 'onEvent'].sort());
    for (const key of Object.keys(bridge)) expect(typeof (bridge as Record<string, unknown>)[key]).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
    expect('invoke' in bridge || 'send' in bridge || 'ipcRenderer' in bridge).toBe(false);
  });

  it('each function invokes its own channel only', async () => {
    await bridge['runs/list']({ limit: 5 });
    expect(calls).toEqual([['runs/list', { limit: 5 }]]);
  });

  it('delivers events and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.onEvent((m) => got.push(m));
    listeners.get(EVENT_CHANNEL)![0]({}, { name: 'run/state', payload: 1 });
    off();
    expect(got).toEqual([{ name: 'run/state', payload: 1 }]);
    expect(listeners.get(EVENT_CHANNEL)).toEqual([]);
  });
});
