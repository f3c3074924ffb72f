import type { RunStateEvent, RunStatus } from '../../src-shared/runs';
import { ashaDecide, ashaVerdict, rungsFor, type AshaDecision } from '../../src-shared/search/asha';
import { naturalDirection, type AshaSpec } from '../../src-shared/search/searchSpec';
import { formatMetricValue } from '../../src-shared/search/ashaWords';
import type { SweepSpec } from '../../src-shared/sweep';
import { AshaRepo } from '../store/ashaRepo';
import type { RunRow } from '../store/runsRepo';
import type { Store } from '../store/store';
import type { Ending } from './storeGuard';

export interface PrunerHooks {
  /** A store write that must not throw (StoreGuard.write): undefined when the database refused it. */
  write<T>(work: () => T, what: string): T | undefined;
  /** Asks a running run to stop after its current batch (RunPool.cancel). */
  stop(runId: number): void;
  state(event: RunStateEvent): void;
}

interface Stopping {
  kind: 'wait' | 'prune';
  experimentId: number;
  rung: number;
  reason: string;
}

const now = (): string => new Date().toISOString();
/** Every rung any run can have (epochs ≤ 10,000): what the decisions read the metric at. */
const ALL_EPOCHS = 10_000;

/**
 * Applies ASHA to the runs of sweeps with an `asha` part (see src-shared/search/asha.ts): after each
 * committed epoch it decides what the table calls for and stops a run at a rung its configuration has
 * not passed (it waits, holding no worker, then continues from its checkpoint once promoted) or when
 * its configuration is pruned (it ends pruned). Runs being stopped report nothing more: an epoch
 * they finish meanwhile is neither committed nor acknowledged, so their thread stops without it.
 */
export class AshaPruner {
  private readonly repo: AshaRepo;
  private readonly specs = new Map<number, AshaSpec | null>();
  private readonly stopping = new Map<number, Stopping>();

  constructor(private readonly store: Store, private readonly hooks: PrunerHooks) {
    this.repo = new AshaRepo(store.db);
  }

  /** A run asked to stop at a rung: its progress and epochs are ignored until it ends. */
  isStopping(runId: number): boolean {
    return this.stopping.has(runId);
  }

  private ashaOf(experimentId: number): AshaSpec | null {
    if (!this.specs.has(experimentId)) {
      const json = this.repo.specJson(experimentId);
      this.specs.set(experimentId, json ? ((JSON.parse(json) as SweepSpec).asha ?? null) : null);
    }
    return this.specs.get(experimentId) ?? null;
  }

  /**
   * A run just taken from the queue (now running here): how to end it without training it when its
   * configuration was already pruned (a seed's new attempt, a resumed one); 'handled' when it is at a
   * rung its configuration has not passed (resumed there, or given back by a lost worker while being
   * stopped) and now waits there; null to train it.
   */
  atClaim(row: Pick<RunRow, 'id' | 'experiment_id' | 'config_hash' | 'config_json' | 'epochs_done'>): Ending | 'handled' | null {
    this.stopping.delete(row.id);
    const asha = this.ashaOf(row.experiment_id);
    if (!asha) return null;
    const decisions = this.repo.decisionsOf(row.experiment_id, row.config_hash);
    const rungs = rungsFor((JSON.parse(row.config_json) as { epochs: number }).epochs, asha.minEpochs, asha.reductionFactor);
    const verdict = ashaVerdict(rungs, decisions, row.epochs_done);
    if (verdict === 'continue') return null;
    if (verdict === 'wait') {
      if (this.repo.park(row.id)) this.hooks.state({ runId: row.id, experimentId: row.experiment_id, status: 'waiting', error: null });
      this.decide(row.experiment_id);
      return 'handled';
    }
    const rung = [...decisions].find(([, d]) => d === 'pruned')![0];
    this.repo.markPruned(row.id, rung);
    return { status: 'pruned', error: this.pruneReason(row.experiment_id, row.config_hash, rung), divergedEpoch: null };
  }

  /** After epoch `epoch` of a run is committed: decide if it is at a rung, then stop it if it must. */
  afterEpoch(runId: number, epoch: number): void {
    const row = this.store.runs.get(runId);
    const asha = row && this.ashaOf(row.experiment_id);
    if (!row || !asha || row.status !== 'running') return;
    const epochs = (JSON.parse(row.config_json) as { epochs: number }).epochs;
    const rungs = rungsFor(epochs, asha.minEpochs, asha.reductionFactor);
    if (rungs.includes(epoch)) this.decide(row.experiment_id);
    const decisions = this.repo.decisionsOf(row.experiment_id, row.config_hash);
    const verdict = ashaVerdict(rungs, decisions, epoch);
    if (verdict === 'continue') return;
    const rung = verdict === 'prune' ? [...decisions].find(([, d]) => d === 'pruned')![0] : rungs.find((r) => r <= epoch && decisions.get(r) !== 'promoted')!;
    this.stopRunning(runId, row.experiment_id, verdict, rung, verdict === 'prune' ? this.pruneReason(row.experiment_id, row.config_hash, rung) : '');
  }

  private stopRunning(runId: number, experimentId: number, kind: Stopping['kind'], rung: number, reason: string): void {
    if (this.stopping.get(runId)?.kind === 'prune') return;
    if (kind === 'prune') this.hooks.write(() => this.repo.markPruned(runId, rung), `the rung run ${runId} is pruned at`);
    this.stopping.set(runId, { kind, experimentId, rung, reason });
    this.hooks.stop(runId);
  }

  /**
   * A run ended while asked to stop at a rung (`status` as its worker said): a run that was to wait
   * waits (or goes back to the queue if its configuration was promoted meanwhile, or ends pruned);
   * one that was to be pruned ends pruned. Returns how the runner is to end it, 'handled' when this
   * wrote its state, or null when it was not stopped here or ended otherwise (failed, interrupted).
   */
  ended(runId: number, status: RunStatus): Ending | 'handled' | null {
    const stop = this.stopping.get(runId);
    this.stopping.delete(runId);
    if (!stop || status === 'failed' || status === 'interrupted') return null;
    const row = this.store.runs.get(runId);
    if (!row) return null;
    let { kind, rung, reason } = stop;
    if (kind === 'wait') {
      const asha = this.ashaOf(stop.experimentId)!;
      const decisions = this.repo.decisionsOf(stop.experimentId, row.config_hash);
      const verdict = ashaVerdict(rungsFor((JSON.parse(row.config_json) as { epochs: number }).epochs, asha.minEpochs, asha.reductionFactor), decisions, row.epochs_done);
      if (verdict === 'prune') {
        kind = 'prune';
        rung = [...decisions].find(([, d]) => d === 'pruned')![0];
        reason = this.pruneReason(stop.experimentId, row.config_hash, rung);
        this.hooks.write(() => this.repo.markPruned(runId, rung), `the rung run ${runId} is pruned at`);
      } else {
        const moved = verdict === 'continue' ? 'queued' : 'waiting';
        const done = this.hooks.write(() => (moved === 'queued' ? this.repo.requeue(runId) : this.repo.park(runId)), `run ${runId} ${moved === 'queued' ? 'going on' : 'waiting at its rung'}`);
        if (done) this.hooks.state({ runId, experimentId: stop.experimentId, status: moved, error: null });
        return 'handled';
      }
    }
    return { status: 'pruned', error: reason, divergedEpoch: null };
  }

  /** A run waiting at a rung is cancelled (it can be resumed from there). */
  cancelWaiting(runId: number, at: string): boolean {
    return this.repo.cancelWaiting(runId, at);
  }

  /** Decides in every experiment that has runs waiting at a rung (a seed that ended may complete one). */
  decideWaiting(): void {
    const ids = this.hooks.write(() => this.repo.waitingExperiments(), 'finding the ASHA sweeps with waiting runs') ?? [];
    for (const id of ids) this.decide(id);
  }

  /** Makes the decisions an experiment's table calls for and moves its runs accordingly. */
  decide(experimentId: number): void {
    const asha = this.ashaOf(experimentId);
    if (!asha) return;
    const settings = { minEpochs: asha.minEpochs, reductionFactor: asha.reductionFactor, direction: asha.direction ?? naturalDirection(asha.metric) };
    this.hooks.write(() => {
      const table = this.repo.table(experimentId, asha.metric, rungsFor(ALL_EPOCHS, asha.minEpochs, asha.reductionFactor));
      const made = ashaDecide(settings, table);
      if (!made.length) return;
      const at = now();
      this.store.db.transaction(() => made.forEach((d) => this.repo.record(experimentId, d, at)))();
      for (const d of made) this.apply(experimentId, d);
    }, `the ASHA decisions of experiment ${experimentId}`);
  }

  /** Moves a configuration's runs after a decision: promoted ones waiting go on, a pruned one's runs all stop. */
  private apply(experimentId: number, d: AshaDecision): void {
    const runs = this.store.runs.list({ experimentId, limit: 1_000_000, offset: 0 }).filter((r) => r.config_hash === d.config);
    const asha = this.ashaOf(experimentId)!;
    const decisions = this.repo.decisionsOf(experimentId, d.config);
    for (const r of runs) {
      if (d.decision === 'promoted' && r.status === 'waiting') {
        const rungs = rungsFor((JSON.parse(r.config_json) as { epochs: number }).epochs, asha.minEpochs, asha.reductionFactor);
        if (ashaVerdict(rungs, decisions, r.epochs_done) === 'continue' && this.repo.requeue(r.id)) this.hooks.state({ runId: r.id, experimentId, status: 'queued', error: null });
      }
      if (d.decision !== 'pruned') continue;
      const reason = this.pruneReason(experimentId, d.config, d.rung, d);
      if (r.status === 'running') this.stopRunning(r.id, experimentId, 'prune', d.rung, reason);
      else if ((r.status === 'queued' || r.status === 'waiting') && this.repo.prune(r.id, d.rung, reason, now())) {
        this.hooks.state({ runId: r.id, experimentId, status: 'pruned', error: reason });
      }
    }
  }

  /** Why a configuration's runs were pruned, in the run's error field. */
  private pruneReason(experimentId: number, config: string, rung: number, known?: AshaDecision): string {
    const asha = this.ashaOf(experimentId)!;
    const d = known ?? this.repo.decisions(experimentId).find((x) => x.config === config && x.rung === rung);
    const place = d ? `: its seeds' mean ${asha.metric} ${formatMetricValue(asha.metric, d.value)} ranked ${d.rank} of the ${d.of} configurations that reached it` : '';
    return `Pruned by ASHA at epoch ${rung}${place}; 1 in ${asha.reductionFactor} goes on.`;
  }
}
