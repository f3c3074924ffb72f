import type { ParsedRequest, Response } from '../../src-shared/api';
import { trainConfigFieldsSchema, type TrainConfig } from '../../src-shared/config';
import { buildQueueEstimate } from '../../src-shared/estimate/queueEstimate';
import { basisText, DEFAULT_CONFIRM_HOURS, epochEstimates, estimateSweep } from '../../src-shared/estimate/sweepEstimate';
import { searchPoints } from '../../src-shared/search/searchSpec';
import { parseSweepSpec, sweepPreview } from '../../src-shared/sweep';
import type { Store } from '../store/store';
import { TimingQuery } from '../store/timingQuery';
import { engineStatus } from './engineStatus';

/** The settings key of the hours above which a sweep is queued only after a confirmation. */
export const CONFIRM_ABOVE_HOURS = 'estimate.confirmAboveHours';

/** The user's confirmation threshold in hours (DEFAULT_CONFIRM_HOURS until set). */
export function confirmAboveHours(store: Store): number {
  const v = Number(store.settings.get(CONFIRM_ABOVE_HOURS));
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_CONFIRM_HOURS;
}

export interface EstimateDeps {
  store: () => Store;
  /** The workers runs are spread over now (local threads, or the Redis workers connected). */
  workers: () => number;
}

/**
 * Time estimates from this machine's measured epochs (see src-shared/estimate): a sweep before it
 * is queued, and the queue as it stands. Reads only; the query is prepared once per store.
 */
export function estimateHandlers(deps: EstimateDeps) {
  const queries = new WeakMap<Store, TimingQuery>();
  const query = (): TimingQuery => {
    const store = deps.store();
    let q = queries.get(store);
    if (!q) queries.set(store, (q = new TimingQuery(store.db)));
    return q;
  };
  return {
    'experiments/estimate': async (req: ParsedRequest<'experiments/estimate'>): Promise<Response<'experiments/estimate'>> => {
      const { spec } = parseSweepSpec(req.spec);
      const base = trainConfigFieldsSchema.parse(spec.base);
      const configs: TrainConfig[] = [];
      for (const point of searchPoints(spec)) {
        const config = { ...base, ...point } as TrainConfig;
        for (let r = 0; r < spec.repeats; r++) configs.push(config);
      }
      const store = deps.store();
      return estimateSweep(configs, {
        samples: query().samples(),
        autoKind: (await engineStatus()).kernel,
        workers: req.workers ?? deps.workers(),
        maxEpochs: sweepPreview(spec).maxEpochs,
        confirmAboveSeconds: confirmAboveHours(store) * 3600,
      });
    },
    'queue/estimate': async (): Promise<Response<'queue/estimate'>> => {
      const q = query();
      const pending = q.pending();
      const perEpoch = epochEstimates(pending.map((p) => p.config), q.samples(), (await engineStatus()).kernel);
      return buildQueueEstimate(pending, perEpoch, deps.workers(), basisText(perEpoch));
    },
  };
}
