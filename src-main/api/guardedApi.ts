import { requestSchemas, type Channel, type Request, type Response } from '../../src-shared/api';
import type { AppError } from '../../src-shared/errors';
import { explainDatabaseError } from '../store/databaseErrors';
import { WorkbenchApi, type ApiDeps } from './workbenchApi';

/** Channels served without the experiment store: the dataset cache, sweep previews and the engine. */
const WITHOUT_STORE = new Set<string>(['data/status', 'data/download', 'data/import', 'data/cancel', 'data/verify', 'data/image', 'data/samples', 'experiments/preview', 'engine/status']);

export interface DatabaseState {
  /** The database file, named in every message about it. */
  path: string;
  /** Why the database could not be opened (damaged, no database in a read-only home, …); null when open. */
  unavailable: AppError | null;
  /** Why it is open read-only; null when it can be written. */
  readOnly: string | null;
}

/**
 * The API as the app, browser mode and the CLI get it: errors from SQLite become messages that name
 * the database file and say what to do (read-only home, full disk, damaged file) instead of raw
 * SqliteErrors. Where the database could not be opened, the dataset channels still work and every
 * other channel answers with the reason, so a damaged history is never shown as an empty one.
 */
export class GuardedApi extends WorkbenchApi {
  constructor(deps: ApiDeps, private readonly database: DatabaseState) {
    super(deps);
  }

  override async call<K extends Channel>(channel: K, payload: Request<K> | unknown): Promise<Response<K>> {
    const { path, unavailable, readOnly } = this.database;
    if (unavailable && Object.hasOwn(requestSchemas, channel) && !WITHOUT_STORE.has(channel)) throw unavailable;
    try {
      const response = await super.call(channel, payload);
      if (channel === 'queue/status' && readOnly) {
        return { ...(response as Response<'queue/status'>), blocked: `The experiment database ${path} is open read-only (${readOnly}): queued runs cannot start here.` } as Response<K>;
      }
      return response;
    } catch (e) {
      throw explainDatabaseError(e, path, readOnly);
    }
  }

  /** Changes nothing where the history cannot be written (no database, or a read-only one). */
  override async startUp(): Promise<void> {
    if (this.database.unavailable || this.database.readOnly) return;
    await super.startUp();
  }

  /** Starts nothing where runs could not be claimed (no database, or a read-only one). */
  override async kick(): Promise<void> {
    if (this.database.unavailable || this.database.readOnly) return;
    await super.kick();
  }
}
