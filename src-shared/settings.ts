/** The user's choices about what runs keep and do, stored in the database's settings table. */
export interface WorkbenchSettings {
  /** At start-up, continue the runs that were interrupted (crash, quit, power loss) from their checkpoints. */
  autoResume: boolean;
  /** Besides the final model, keep the model of each run's best epoch (by test accuracy). */
  keepBestModel: boolean;
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
