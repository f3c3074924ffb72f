import { describeIssues } from '../../src-shared/config';
import { requestSchemas, type Channel, type EventName, type Events, type ParsedRequest, type Request, type Response } from '../../src-shared/api';
import { AppError, ValidationError } from '../../src-shared/errors';
import type { DatasetManager } from '../data/datasetManager';

type Handlers = { [K in Channel]: (req: ParsedRequest<K>) => Promise<Response<K>> };
type ApiEvent = { [E in EventName]: [event: E, payload: Events[E]] }[EventName];
type Listener = (...args: ApiEvent) => void;

/**
 * The one implementation of the API contract. Transports (Electron IPC, HTTP, the CLI) only move
 * payloads: every request is validated here against the shared schema before a handler sees it.
 */
export class WorkbenchApi {
  private readonly listeners = new Set<Listener>();
  private readonly handlers: Handlers;

  constructor(private readonly deps: { dataset: DatasetManager }) {
    const progress = (p: Events['data/progress']): void => this.emit('data/progress', p);
    const { dataset } = this.deps;
    this.handlers = {
      'data/status': () => dataset.status(),
      'data/download': (req) => dataset.download({ url: req.url, onProgress: progress }),
      'data/import': (req) => dataset.import(req.path, { onProgress: progress }),
      'data/cancel': async () => ({ cancelled: dataset.cancel() }),
      'data/verify': () => dataset.verify({ onProgress: progress }),
      'data/image': async (req) => {
        const img = await dataset.image(req.split, req.index, req.scale);
        return { pngBase64: img.png.toString('base64'), label: img.label, className: img.className };
      },
    };
  }

  /** Validates the payload for `channel` and runs its handler. */
  async call<K extends Channel>(channel: K, payload: Request<K> | unknown): Promise<Response<K>> {
    if (!Object.hasOwn(requestSchemas, channel)) throw new AppError('NOT_FOUND', `Unknown API channel '${String(channel)}'`);
    const parsed = requestSchemas[channel].safeParse(payload ?? {});
    if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues, {}), `Invalid request for ${channel}`);
    const handler = this.handlers[channel] as (req: unknown) => Promise<Response<K>>;
    return handler(parsed.data);
  }

  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(...args: ApiEvent): void {
    for (const l of this.listeners) l(...args);
  }
}
