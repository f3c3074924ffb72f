import type { Channel, EventName, Events, Request, Response } from '../../src-shared/api';
import { EVENT_NAMES } from '../../src-shared/channels';
import { unwrap, type Envelope } from '../../src-shared/envelope';
import { authFailure } from './authFailure';

/** How calls and events travel: Electron IPC (through the preload bridge) or HTTP + server-sent events. */
export interface Transport {
  invoke(channel: Channel, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
  /** Browser mode: the address of a file download route (e.g. /api/runs/3/model) with the token; absent over IPC. */
  fileUrl?(path: string): string;
}

/** The surface the preload exposes as window.workbench (see src-main/preload/bridge.ts). */
type Bridge = Record<Channel, (payload: unknown) => Promise<unknown>> & {
  onEvent(listener: (m: { name: string; payload: unknown }) => void): () => void;
};

export function ipcTransport(bridge: Bridge): Transport {
  return {
    invoke: (channel, payload) => bridge[channel](payload) as Promise<Envelope<unknown>>,
    subscribe: (listener) => bridge.onEvent((m) => listener(m.name, m.payload)),
  };
}

/**
 * HTTP + server-sent events; `onUnauthorized` hears the server's message when it refuses the token.
 * Every subscription shares one EventSource: a browser keeps at most six connections per server, and
 * a stream per subscription (the sidebar, a view, its cards) would hold them all, leaving the page's
 * own requests waiting forever.
 */
export function httpTransport(origin: string, token: string, onUnauthorized?: (message: string) => void): Transport {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let source: EventSource | null = null;
  function open(): void {
    source = new EventSource(`${origin}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        const payload: unknown = JSON.parse((e as MessageEvent<string>).data);
        for (const listener of [...listeners]) listener(name, payload);
      });
    }
  }
  return {
    async invoke(channel, payload) {
      const res = await fetch(`${origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(payload ?? {}),
      });
      const envelope = (await res.json()) as Envelope<unknown>;
      if (res.status === 401 && !envelope.ok) onUnauthorized?.(envelope.error.message);
      return envelope;
    },
    fileUrl(path) {
      return `${origin}${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
  };
}

/** The typed client: every call site names a real channel with its request type, and gets its response type. */
export function createApi(transport: Transport) {
  return {
    async call<K extends Channel>(channel: K, request: Request<K>): Promise<Response<K>> {
      return unwrap(await transport.invoke(channel, request)) as Response<K>;
    },
    on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
      return transport.subscribe((name, payload) => {
        if (name === event) handler(payload as Events[E]);
      });
    },
    /** A download link for browser mode; null in the desktop app, which saves through main's dialog instead. */
    fileUrl(path: string): string | null {
      return transport.fileUrl?.(path) ?? null;
    },
  };
}

export type Api = ReturnType<typeof createApi>;

/** A hash without its token parameter: '#token=x' → '#/', '#/compare?runs=3&token=x' → '#/compare?runs=3'. */
export function withoutToken(hash: string): string {
  const rest = hash.replace(/(^#|[?&])token=[^&]*&?/, '$1').replace(/[?&]$/, '');
  return rest === '' || rest === '#' ? '#/' : rest;
}

/** Picks the transport: the preload bridge inside Electron, otherwise HTTP with the token from the URL. */
export function defaultTransport(): Transport {
  const bridge = (window as unknown as { workbench?: Bridge }).workbench;
  if (bridge) return ipcTransport(bridge);
  // #token=… as `workbench serve` prints it, or after a view's address: #/compare/7?token=…
  const q = location.hash.indexOf('?');
  const fromUrl = new URLSearchParams(location.hash.slice(q < 0 ? 1 : q + 1)).get('token');
  const token = fromUrl ?? sessionStorage.getItem('workbench-token') ?? '';
  sessionStorage.setItem('workbench-token', token);
  // keep the token out of the address bar, history and screenshots once it is stored for the tab;
  // a view's address it came with stays (#/compare?runs=3,5&token=… opens that comparison)
  if (fromUrl) history.replaceState(null, '', `${location.pathname}${withoutToken(location.hash)}`);
  return httpTransport(location.origin, token, (message) => (authFailure.value = message));
}
