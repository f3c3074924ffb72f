/** The user's choices about what runs keep and do, stored in the database's settings table. */
export interface WorkbenchSettings {
  /** At start-up, continue the runs that were interrupted (crash, quit, power loss) from their checkpoints. */
  autoResume: boolean;
  /** Besides the final model, keep the model of each run's best epoch (by test accuracy). */
  keepBestModel: boolean;
  /**
   * Where queued runs train, read when the app or `workbench serve` starts: 'local' (this machine's
   * worker threads) or 'redis' (worker processes behind a Redis queue, see `workbench worker`).
   */
  queueBackend: QueueBackend;
  /** The Redis queue's URL (redis://host:6379, or rediss:// for TLS), without a password; '' when none. */
  redisUrl: string;
  /** Connect to Redis over TLS (also implied by rediss://). */
  redisTls: boolean;
  /** Sweeps estimated to take longer than this (hours) ask for a confirmation before they are queued. */
  confirmAboveHours: number;
}

export type QueueBackend = 'local' | 'redis';

/**
 * The queue this process uses now, which the saved setting changes only at the next start. The Redis
 * password is never stored: it comes from WORKBENCH_REDIS_PASSWORD or `workbench serve --redis-password`.
 */
export interface QueueInUse {
  backend: QueueBackend;
  /** The Redis URL without its password, or null for the local queue. */
  url: string | null;
  /** Why the saved Redis queue is not used (a URL that cannot be read), or null. */
  problem: string | null;
  /** Named by the command that started this process (`--redis`), which wins over the saved choice. */
  named: boolean;
}

/** The settings as the Settings cards read them: the saved choices and what is in use now. */
export interface SettingsState extends WorkbenchSettings {
  queueInUse: QueueInUse;
}

/** Bytes and files of one kind in the home folder. */
export interface FileUse {
  files: number;
  bytes: number;
}

/** What the history takes on disk, for the Overview. */
export interface DiskUsage {
  checkpoints: FileUse;
  models: FileUse;
  /** The database file with its write-ahead log. */
  database: FileUse;
}
