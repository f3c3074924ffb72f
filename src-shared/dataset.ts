/** What the dataset cache holds right now. */
export type DatasetState = 'absent' | 'downloading' | 'importing' | 'ready' | 'corrupt';

/** Where a cached copy came from; `official` only when the archive's size and MD5 are the official ones. */
export interface DatasetSource {
  kind: 'download' | 'import-archive' | 'import-folder';
  /** URL or local path it was taken from. */
  location: string;
  official: boolean;
  /** sha256 of the .tar.gz it was extracted from (null for a folder import). */
  archiveSha256: string | null;
  archiveMd5: string | null;
}

export interface SplitInfo {
  records: number;
  /** Images per class, in label order. */
  perClass: number[];
}

export interface CachedFile {
  name: string;
  bytes: number;
  records: number | null;
  sha256: string;
}

export interface DatasetStatus {
  state: DatasetState;
  /** Human-readable reason when corrupt, or what is happening. */
  detail: string | null;
  home: string;
  cacheDir: string;
  source: DatasetSource | null;
  classNames: string[];
  train: SplitInfo | null;
  test: SplitInfo | null;
  files: CachedFile[];
  createdAt: string | null;
  /** Bytes of a partial download that a new download will resume from. */
  partialDownloadBytes: number;
}

export type DatasetPhase = 'download' | 'checksum' | 'extract' | 'verify';

/** Progress of a long dataset operation, for progress bars. */
export interface DatasetProgress {
  phase: DatasetPhase;
  bytes: number;
  /** Total bytes when known, else null. */
  total: number | null;
  /** Bytes per second over the last few seconds. */
  rate: number;
  etaSeconds: number | null;
}

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  status: DatasetStatus;
}

/** The official archive, as published on the CIFAR-10 site. */
export const OFFICIAL_ARCHIVE = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  bytes: 170_052_171,
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
} as const;
