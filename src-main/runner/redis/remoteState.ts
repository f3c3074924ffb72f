import type { Redis } from 'ioredis';
import type { EpochMetrics } from '../../../src-shared/metrics';
import type { RemoteWorkerStatus } from '../../../src-shared/runs';

/** A run's outcome as the worker that ran it reports it. */
export interface RemoteOutcome {
  status: 'finished' | 'diverged' | 'cancelled' | 'failed';
  divergedEpoch: number | null;
  error: string | null;
  kernel: string;
}

/** What the coordinator reads about one run in flight. */
export interface RemoteRunInfo {
  latestEpoch: number;
  /** The coordinator's current attempt of the run (see RemoteState.open), '' when it has none. */
  attempt: string;
  kernel: string | null;
  worker: string | null;
  resumed: { fromEpoch: number; refused: string[] } | null;
  progress: { epoch: number; fraction: number } | null;
  outcome: RemoteOutcome | null;
}

/** A worker process as it announces itself every heartbeat (the Queue view adds whether it is lost). */
export type RemoteWorker = Omit<RemoteWorkerStatus, 'lost'>;

/** JSON that keeps NaN and ±Infinity (a diverged epoch's losses). */
export const json = {
  stringify: (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `__num:${x}` : x)),
  parse: <T>(text: string): T => JSON.parse(text, (_k, x: unknown) => (typeof x === 'string' && x.startsWith('__num:') ? Number(x.slice(6)) : x)) as T,
};

const k = {
  run: (id: number) => `wb:run:${id}`,
  epochs: (id: number) => `wb:epochs:${id}`,
  ckpt: (id: number) => `wb:ckpt:${id}`,
  model: (id: number) => `wb:model:${id}`,
  cancel: (id: number) => `wb:cancel:${id}`,
  inflight: 'wb:inflight',
  workers: 'wb:workers',
  dataset: 'wb:dataset',
};

/** Workers publish a run's id here whenever they stored something of it, so the coordinator reads at once. */
export const EVENTS_CHANNEL = 'wb:events';

/** True when the run (hash KEYS[run]) is held by `writer` ('' = anyone may write: the coordinator, tests). */
const MINE = `local function mine(run, writer)
  if writer == '' then return true end
  return redis.call('HGET', run, 'worker') == writer
end
`;

/**
 * A worker's writes about a run, each one script so it is atomic and happens only while the run is in
 * flight (in `wb:inflight`) and held by that worker (the run hash's `worker`, set by wbClaim): a worker
 * that was cut off and reports late, after the coordinator copied the run home and forgot it, queued it
 * again, or after another worker took its job over, recreates and overwrites nothing. Each returns 0 when
 * it was refused.
 */
const SCRIPTS = {
  // KEYS inflight, run; ARGV runId, writer, attempt (the job's; '' for a job without one)
  // a job of another attempt than the coordinator's current one (a leftover), or of a run that has its
  // outcome already (its worker ended it, then lost the job's lock before BullMQ completed it), is refused
  wbClaim: {
    numberOfKeys: 2,
    lua: `if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
if (redis.call('HGET', KEYS[2], 'attempt') or '') ~= ARGV[3] then return 0 end
if redis.call('HEXISTS', KEYS[2], 'outcome') == 1 then return 0 end
redis.call('HSET', KEYS[2], 'worker', ARGV[2])
return 1`,
  },
  // KEYS inflight, run; ARGV runId, attempt: the coordinator hands the run to the queue as this attempt;
  // a new one clears the holder (until a worker claims it, no worker's reports count); the same one (a
  // run a lost worker left, dispatched again while another worker may hold its job) keeps it
  wbOpen: {
    numberOfKeys: 2,
    lua: `redis.call('SADD', KEYS[1], ARGV[1])
if (redis.call('HGET', KEYS[2], 'attempt') or '') ~= ARGV[2] then
  redis.call('HSET', KEYS[2], 'attempt', ARGV[2])
  redis.call('HDEL', KEYS[2], 'worker')
end
return 1`,
  },
  // KEYS inflight, epochs, run, ckpt; ARGV runId, epoch, record, checkpoint ('' = none), channel, writer
  wbRecordEpoch: {
    numberOfKeys: 4,
    lua: `${MINE}if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 or not mine(KEYS[3], ARGV[6]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('SET', KEYS[4], ARGV[4]) end
redis.call('HSET', KEYS[3], 'latestEpoch', ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[1])
return 1`,
  },
  // KEYS inflight, run, model, ckpt; ARGV runId, outcome, model ('' = none), checkpoint ('' = none), channel, writer
  wbFinish: {
    numberOfKeys: 4,
    lua: `${MINE}if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 or not mine(KEYS[2], ARGV[6]) then return 0 end
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('SET', KEYS[4], ARGV[4]) end
redis.call('HSET', KEYS[2], 'outcome', ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[1])
return 1`,
  },
  // KEYS inflight, ckpt, run; ARGV runId, checkpoint, writer
  wbCheckpoint: {
    numberOfKeys: 3,
    lua: `${MINE}if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 or not mine(KEYS[3], ARGV[3]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`,
  },
  // KEYS inflight, run; ARGV runId, writer, field, value, field, value…
  wbSetInfo: {
    numberOfKeys: 2,
    lua: `${MINE}if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 or not mine(KEYS[2], ARGV[2]) then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1`,
  },
};
type Scripted = Record<keyof typeof SCRIPTS, (...args: (string | Buffer)[]) => Promise<number>>;

/**
 * The state of runs in flight that lives in Redis beside the BullMQ jobs: each epoch's metrics, a
 * recent checkpoint (sent with an epoch's metrics, in one MULTI, every few seconds: a run moved to
 * another worker resumes from it and reports the epochs after it again, with the same metrics), the
 * final model and outcome, cancel requests, and the workers' heartbeats. SQLite stays the history of record: the coordinator copies everything into it and
 * then deletes the run's keys.
 */
export class RemoteState {
  private readonly scripted: Scripted;
  /** How this side's writes name their worker (JSON, as the run hash stores it); '' for the coordinator and tests. */
  private readonly writer: string;

  /** `workerId`: the worker process writing, whose writes about a run stop once another worker took it. */
  constructor(readonly redis: Redis, workerId?: string) {
    this.writer = workerId === undefined ? '' : json.stringify(workerId);
    for (const [name, script] of Object.entries(SCRIPTS)) if (!(name in redis)) redis.defineCommand(name, script);
    this.scripted = redis as unknown as Scripted;
  }

  // ---- worker side

  /**
   * Takes a run's job: this worker's reports of it are the ones kept from now on. False when the job is
   * not the coordinator's current attempt of a run in flight (a leftover of one it has ended or queued
   * again), or the run has its outcome already: it is not to be trained.
   */
  async claim(runId: number, attempt: string | undefined): Promise<boolean> {
    return (await this.scripted.wbClaim(k.inflight, k.run(runId), String(runId), this.writer || json.stringify(''), attempt === undefined ? '' : json.stringify(attempt))) === 1;
  }

  /** False when the run is not in flight any more (the coordinator has it all, or it was taken back). */
  async recordEpoch(runId: number, metrics: EpochMetrics, best: unknown, checkpoint: Buffer | null): Promise<boolean> {
    const id = String(runId);
    return (await this.scripted.wbRecordEpoch(k.inflight, k.epochs(runId), k.run(runId), k.ckpt(runId), id, String(metrics.epoch), json.stringify({ metrics, best }), checkpoint ?? '', EVENTS_CHANNEL, this.writer)) === 1;
  }

  async setInfo(runId: number, fields: Record<string, unknown>): Promise<boolean> {
    const pairs = Object.entries(fields).flatMap(([f, v]) => [f, json.stringify(v)]);
    return (await this.scripted.wbSetInfo(k.inflight, k.run(runId), String(runId), this.writer, ...pairs)) === 1;
  }

  async finish(runId: number, outcome: RemoteOutcome, model: Buffer | null, checkpoint: Buffer | null = null): Promise<boolean> {
    const id = String(runId);
    return (await this.scripted.wbFinish(k.inflight, k.run(runId), k.model(runId), k.ckpt(runId), id, json.stringify(outcome), model ?? '', checkpoint ?? '', EVENTS_CHANNEL, this.writer)) === 1;
  }

  async storeCheckpoint(runId: number, checkpoint: Buffer): Promise<boolean> {
    return (await this.scripted.wbCheckpoint(k.inflight, k.ckpt(runId), k.run(runId), String(runId), checkpoint, this.writer)) === 1;
  }

  /** Puts this machine's checkpoint of a run in Redis unless one is there already (a newer one, from a worker). */
  async offerCheckpoint(runId: number, checkpoint: Buffer): Promise<void> {
    await this.redis.set(k.ckpt(runId), checkpoint, 'NX');
  }

  checkpoint(runId: number): Promise<Buffer | null> {
    return this.redis.getBuffer(k.ckpt(runId));
  }

  /** Epochs reported so far (the history a resumed run's checkpoint is checked against). */
  async epochCount(runId: number): Promise<number> {
    return this.redis.hlen(k.epochs(runId));
  }

  async cancelRequested(runIds: number[]): Promise<Set<number>> {
    if (runIds.length === 0) return new Set();
    const flags = await this.redis.mget(runIds.map(k.cancel));
    return new Set(runIds.filter((_, i) => flags[i] !== null));
  }

  async heartbeat(w: RemoteWorker): Promise<void> {
    await this.redis.hset(k.workers, w.id, JSON.stringify(w));
  }

  async leave(workerId: string): Promise<void> {
    await this.redis.hdel(k.workers, workerId);
  }

  datasetOfQueue(): Promise<string | null> {
    return this.redis.get(k.dataset);
  }

  // ---- coordinator side

  async setDataset(sha256: string): Promise<void> {
    await this.redis.set(k.dataset, sha256);
  }

  /** Hands a run to the queue as `attempt` (a job of it carries the same): only a job of it may be claimed. */
  async open(runId: number, attempt: string): Promise<void> {
    await this.scripted.wbOpen(k.inflight, k.run(runId), String(runId), json.stringify(attempt));
  }

  async inflight(): Promise<number[]> {
    return (await this.redis.smembers(k.inflight)).map(Number);
  }

  async requestCancel(runId: number): Promise<void> {
    await this.redis.set(k.cancel(runId), '1');
  }

  /** Everything about these runs in one round trip. */
  async read(runIds: number[]): Promise<Map<number, RemoteRunInfo>> {
    const out = new Map<number, RemoteRunInfo>();
    if (runIds.length === 0) return out;
    const p = this.redis.pipeline();
    for (const id of runIds) p.hgetall(k.run(id));
    const results = (await p.exec()) ?? [];
    runIds.forEach((id, i) => {
      const h = (results[i]?.[1] ?? {}) as Record<string, string>;
      const field = <T>(name: string): T | null => (h[name] === undefined ? null : json.parse<T>(h[name]));
      out.set(id, {
        latestEpoch: Number(h.latestEpoch ?? 0), attempt: field<string>('attempt') ?? '', kernel: field<string>('kernel'), worker: field<string>('worker'),
        resumed: field('resumed'), progress: field('progress'), outcome: field<RemoteOutcome>('outcome'),
      });
    });
    return out;
  }

  /**
   * A run's stored epochs in order: all of them, or only `range` (first..last, inclusive) — what the
   * coordinator has not copied yet, so a 20-epoch run is not read and parsed 20 times over.
   */
  async epochs(runId: number, range?: { first: number; last: number }): Promise<{ metrics: EpochMetrics; best: { epoch: number; testAccuracy: number } | null }[]> {
    let values: (string | null)[];
    if (range) {
      const fields = Array.from({ length: Math.max(0, range.last - range.first + 1) }, (_, i) => String(range.first + i));
      values = fields.length ? await this.redis.hmget(k.epochs(runId), ...fields) : [];
    } else values = Object.values(await this.redis.hgetall(k.epochs(runId)));
    return values
      .filter((v): v is string => v !== null)
      .map((v) => json.parse<{ metrics: EpochMetrics; best: { epoch: number; testAccuracy: number } | null }>(v))
      .sort((a, b) => a.metrics.epoch - b.metrics.epoch);
  }

  model(runId: number): Promise<Buffer | null> {
    return this.redis.getBuffer(k.model(runId));
  }

  /** Forgets a run once SQLite holds all of it. */
  async forget(runId: number): Promise<void> {
    await this.redis.multi().del(k.run(runId), k.epochs(runId), k.ckpt(runId), k.model(runId), k.cancel(runId)).srem(k.inflight, String(runId)).exec();
  }

  async workers(): Promise<RemoteWorker[]> {
    return Object.values(await this.redis.hgetall(k.workers)).map((v) => JSON.parse(v) as RemoteWorker);
  }
}
