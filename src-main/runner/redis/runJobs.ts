import { existsSync, readFileSync } from 'node:fs';
import type { Queue } from 'bullmq';
import type { InFlight, RemotePoolOptions } from './remotePoolOptions';
import type { RemoteState } from './remoteState';

/** A run's BullMQ job id (BullMQ refuses purely numeric ones). */
export const jobId = (runId: number): string => `run-${runId}`;

/**
 * What a look at a run's job found: nothing to do (it is queued or held, or the run has ended
 * meanwhile), an earlier attempt's job standing in its place ('replace'), a job that failed without a
 * word from a worker, or no job at all while the run has no end ('lost': Redis lost it).
 */
export type JobVerdict = null | 'replace' | 'lost' | { failed: string };

/**
 * The BullMQ side of the runs a RemotePool has in flight: adding the job of a run's current attempt,
 * and judging a job that went quiet. Each hand-over of a run to the queue is an attempt (a token in the
 * job and in the run's Redis hash, see RemoteState.open): a worker claims a run only with the job of
 * its current attempt, so a job left over from an earlier one is never trained as this one.
 */
export class RunJobs {
  constructor(
    private readonly queue: Queue,
    private readonly state: RemoteState,
    private readonly options: RemotePoolOptions,
  ) {}

  /**
   * Adds the job of `f`'s attempt, once: a job of this attempt already in the queue (a repeat
   * submission, a run given back by a lost worker) is left as it is. One of an earlier attempt is
   * replaced; while a worker still holds it (it is finishing, or drops it at its claim) this returns
   * false, to be tried again at a later poll. `ours` says whether the pool still has this attempt.
   */
  async add(runId: number, f: InFlight, ours: () => boolean): Promise<boolean> {
    const msg = f.original;
    // a checkpoint of this machine (a resumed run's, or one brought home when a run was cancelled,
    // failed or recalled) goes along, for whichever worker gets the run; the worker checks it fits
    const local = this.options.files?.checkpointPath(runId);
    if (local && existsSync(local)) await this.state.offerCheckpoint(runId, readFileSync(local));
    await this.state.open(runId, f.attempt);
    const earlier = await this.queue.getJob(jobId(runId));
    if (earlier && (earlier.data as { attempt?: string }).attempt !== f.attempt) {
      // held by a worker, or locked meanwhile: later
      if ((await earlier.getState()) === 'active' || (await this.queue.remove(jobId(runId))) !== 1) return false;
    }
    // ended, or queued again, while this was under way
    if (!ours()) return false;
    await this.queue.add('train', { runId, config: msg.config, committedEpochs: msg.files?.committedEpochs ?? 0, datasetSha256: this.options.datasetSha256, attempt: f.attempt }, {
      jobId: jobId(runId), priority: this.options.priority?.(runId), removeOnComplete: true, removeOnFail: 1000,
    });
    return true;
  }

  /** Looks at the job of a run whose `attempt` has been added (see JobVerdict). */
  async check(runId: number, attempt: string): Promise<JobVerdict> {
    const job = await this.queue.getJob(jobId(runId));
    const state = job ? await job.getState() : 'unknown';
    const jobAttempt = (job?.data as { attempt?: string } | undefined)?.attempt;
    // an earlier attempt's job stands where this one's should be (a coordinator that stopped between
    // handing the run over and replacing it): replaced once no worker holds it
    if (jobAttempt !== undefined && jobAttempt !== attempt) return state === 'active' ? null : 'replace';
    if (state !== 'failed' && state !== 'unknown') return null;
    // a worker reports a run's end before its job completes: an end that came after the run was last
    // read is not a lost job (queued again, it would run a second time; see remotePool.test.ts)
    if ((await this.state.read([runId])).get(runId)?.outcome) return null;
    if (state === 'unknown') return 'lost';
    // read again: the copy above may be from before it failed
    const reason = (await this.queue.getJob(jobId(runId)))?.failedReason || job?.failedReason;
    return { failed: reason || 'the job failed on the Redis queue' };
  }

  /** Removes a run's job unless a worker holds it: 1 when it was removed. */
  remove(runId: number): Promise<number> {
    return this.queue.remove(jobId(runId));
  }
}
