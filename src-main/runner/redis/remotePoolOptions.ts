import type { RunFiles } from '../../store/files/runFiles';
import type { ToWorker } from '../messages';
import type { RedisTarget } from './redisConnection';

/** A worker whose heartbeat is older than this is shown as lost and its slots are not counted. */
export const LOST_AFTER_MS = 10_000;

/** What the coordinator knows of a run it handed to the Redis queue. */
export interface InFlight {
  delivered: number;
  started: boolean;
  resumed: string | null;
  /** The run as dispatched (or as adopted), to queue it again if Redis lost its job. */
  original: ToWorker;
  /** Its job is still to be added to the queue (Redis was not reachable, or lost it). */
  pending: boolean;
  checkedJobAt: number;
  /** Given back once already because this worker was lost: not again for the same one. */
  lostWith?: string;
  /**
   * This dispatch's token (RemoteState.open): its job carries it, and a worker may claim the run only
   * with it, so a job left over from an earlier attempt is never trained as this one.
   */
  attempt: string;
  /** An enqueue of it is under way (dispatch and the poll both start one). */
  enqueuing: boolean;
}

export interface RemotePoolOptions {
  target: RedisTarget;
  files: RunFiles | undefined;
  datasetSha256: string;
  /** How often Redis is read for progress (ms). */
  pollMs?: number;
  /**
   * How long a run may go without a word in Redis before its BullMQ job is looked at (ms; default 5 s):
   * a job that failed without a report, or that Redis lost, is noticed then.
   */
  jobCheckMs?: number;
  /** Run priority for BullMQ (lower runs first). */
  priority?: (runId: number) => number;
}
