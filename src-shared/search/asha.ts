/**
 * Asynchronous successive halving (ASHA) over configurations, each judged on the mean of its seeds.
 *
 * A sweep's runs that differ only in their seed form a configuration. Rungs are at minEpochs·η^k
 * epochs (below the configuration's epochs). A configuration *reaches* rung r once every one of its
 * seeds that is still to train (queued, running or waiting) has committed epoch r; seeds that ended
 * otherwise (failed, cancelled, interrupted) are not waited for. Its value there is the mean of the
 * metric at epoch r over its seeds that have it; a seed that diverged by then makes it the worst.
 *
 * A seed that reaches a rung its configuration has not passed yet waits there (see ashaVerdict), so
 * no worker waits: workers take other runs. Each time configurations reach rung r, the best waiting
 * ones are promoted until ⌊n/η⌋ of the n that reached it are; once no other configuration can still
 * reach it (the rung is complete), until ⌈n/η⌉ are, and every other one is pruned there. Promotions
 * and prunings are final. So at most ⌈n/η⌉ of n configurations ever pass a rung (what sweepPreview
 * bounds), and the best one at a rung is always among them. Ties rank the earlier configuration of
 * the sweep first.
 */

export type Direction = 'max' | 'min';

export interface AshaSettings {
  minEpochs: number;
  /** η: an integer ≥ 2. */
  reductionFactor: number;
  direction: Direction;
}

/** One configuration of the sweep, in sweep order (earlier wins ties). */
export interface AshaConfig {
  key: string;
  /** The epochs its runs train when never stopped. */
  epochs: number;
}

/** One seed (run) of a configuration. */
export interface AshaSeed {
  config: string;
  seed: number;
  /** Epochs committed. */
  epochsDone: number;
  /** Still to train: queued, running or waiting at a rung. */
  live: boolean;
  /** Ended diverged (after epochsDone epochs). */
  diverged: boolean;
}

/** The metric of one seed at one epoch (NaN for a NaN metric). */
export interface AshaPoint {
  config: string;
  seed: number;
  epoch: number;
  value: number;
}

export interface AshaDecision {
  config: string;
  rung: number;
  decision: 'promoted' | 'pruned';
  /** The configuration's seed mean at the rung (NaN: a seed diverged or its metric is NaN). */
  value: number;
  /** Its place among the configurations that had reached the rung when decided (1 = best) … */
  rank: number;
  /** … and how many those were. */
  of: number;
}

export interface AshaTable {
  configs: readonly AshaConfig[];
  seeds: readonly AshaSeed[];
  points: readonly AshaPoint[];
  /** Decisions already made (they stand). */
  decisions: readonly AshaDecision[];
}

/** The rungs of a configuration of `epochs` epochs: minEpochs·η^k below its epochs. */
export function rungsFor(epochs: number, minEpochs: number, reductionFactor: number): number[] {
  const rungs: number[] = [];
  for (let r = minEpochs; r < epochs; r *= reductionFactor) rungs.push(r);
  return rungs;
}

/** a before b (negative) when a is better; NaN is worse than any number, equal to NaN. */
export function compareValues(a: number, b: number, direction: Direction): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return direction === 'max' ? b - a : a - b;
}

/**
 * The decisions the table calls for now, in the order they are made (rung by rung; promotions, then
 * prunings, each best first). Pure: the same
 * table gives the same decisions; the caller records them and passes them back in next time.
 */
export function ashaDecide(settings: AshaSettings, table: AshaTable): AshaDecision[] {
  const { minEpochs, reductionFactor: eta, direction } = settings;
  const order = new Map(table.configs.map((c, i) => [c.key, i]));
  const rungsOf = new Map(table.configs.map((c) => [c.key, rungsFor(c.epochs, minEpochs, eta)]));
  const decided = new Map<string, AshaDecision>();
  const at = (config: string, rung: number): string => `${rung}|${config}`;
  for (const d of table.decisions) decided.set(at(d.config, d.rung), d);
  const seedsOf = new Map<string, AshaSeed[]>();
  for (const s of table.seeds) seedsOf.set(s.config, [...(seedsOf.get(s.config) ?? []), s]);
  const valueAt = new Map<string, number[]>();
  for (const p of table.points) valueAt.set(at(p.config, p.epoch), [...(valueAt.get(at(p.config, p.epoch)) ?? []), p.value]);

  const made: AshaDecision[] = [];
  const allRungs = [...new Set([...rungsOf.values()].flat())].sort((a, b) => a - b);
  for (const rung of allRungs) {
    const arrived: { key: string; value: number | undefined }[] = [];
    let complete = true;
    for (const c of table.configs) {
      const rungs = rungsOf.get(c.key)!;
      if (!rungs.includes(rung)) continue;
      const seeds = seedsOf.get(c.key) ?? [];
      const value = seedMean(seeds, valueAt.get(at(c.key, rung)) ?? [], rung);
      if (decided.has(at(c.key, rung))) {
        arrived.push({ key: c.key, value });
        continue;
      }
      const earlier = rungs.filter((r) => r < rung).map((r) => decided.get(at(c.key, r))?.decision);
      if (earlier.includes('pruned')) continue;
      const stillComing = seeds.some((s) => s.live && s.epochsDone < rung);
      if (stillComing || earlier.includes(undefined)) {
        // it may yet reach this rung (if promoted at the earlier ones)
        if (seeds.some((s) => s.live)) complete = false;
        continue;
      }
      if (value === undefined) continue; // every seed ended before the rung: it never reaches it
      arrived.push({ key: c.key, value });
    }
    const ranked = arrived
      .map((a) => ({ ...a, value: a.value ?? NaN }))
      .sort((a, b) => compareValues(a.value, b.value, direction) || order.get(a.key)! - order.get(b.key)!);
    const n = ranked.length;
    const quota = complete ? Math.ceil(n / eta) : Math.floor(n / eta);
    let promoted = ranked.filter((a) => decided.get(at(a.key, rung))?.decision === 'promoted').length;
    const decide = (a: { key: string; value: number }, decision: AshaDecision['decision']): void => {
      const d: AshaDecision = { config: a.key, rung, decision, value: a.value, rank: ranked.indexOf(a) + 1, of: n };
      decided.set(at(a.key, rung), d);
      made.push(d);
    };
    for (const a of ranked) {
      if (promoted >= quota) break;
      if (decided.has(at(a.key, rung))) continue;
      decide(a, 'promoted');
      promoted++;
    }
    if (complete) for (const a of ranked) if (!decided.has(at(a.key, rung))) decide(a, 'pruned');
  }
  return made;
}

/**
 * A configuration's value at a rung: the mean over its seeds' values at that epoch; NaN when a seed
 * diverged by then; undefined when no seed has a value there.
 */
function seedMean(seeds: readonly AshaSeed[], values: readonly number[], rung: number): number | undefined {
  if (seeds.some((s) => s.diverged && s.epochsDone <= rung)) return NaN;
  if (!values.length) return undefined;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * What a run of a configuration does after committing epoch `epoch`: go on, wait at a rung its
 * configuration has not passed yet, or stop because its configuration was pruned.
 */
export function ashaVerdict(rungs: readonly number[], decisions: ReadonlyMap<number, AshaDecision['decision']>, epoch: number): 'continue' | 'wait' | 'prune' {
  if ([...decisions.values()].includes('pruned')) return 'prune';
  return rungs.some((r) => r <= epoch && decisions.get(r) !== 'promoted') ? 'wait' : 'continue';
}
