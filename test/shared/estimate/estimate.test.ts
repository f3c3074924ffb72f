import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-shared/config';
import { buildQueueEstimate, liveSchedule, remainingSeconds } from '../../../src-shared/estimate/queueEstimate';
import { DEFAULT_OVERHEAD, epochWork, estimateEpoch, parameterCount, runSecondsOf, shapeOf, type TimingSample } from '../../../src-shared/estimate/runTime';
import { scheduleQueue, sweepWallSeconds } from '../../../src-shared/estimate/schedule';
import { estimateSweep, samplesForKernel } from '../../../src-shared/estimate/sweepEstimate';
import { aboutDuration, estimateText } from '../../../src-shared/estimate/words';

const report = shapeOf(DEFAULT_TRAIN_CONFIG);
const sample = (over: Partial<TimingSample>): TimingSample => ({ ...report, kernel: 'native-avx512', epochs: 10, seconds: 6, steadyEpochs: 0, steadySeconds: 0, wallRuns: 0, wallSeconds: 0, wallEpochs: 0, ...over });
const config = (over: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_TRAIN_CONFIG, ...over });

describe('seconds per epoch from measured epochs', () => {
  it('counts parameters and work per epoch', () => {
    expect(parameterCount([100, 100])).toBe(3073 * 100 + 101 * 100 + 101 * 10);
    expect(parameterCount([])).toBe(3073 * 10);
    expect(shapeOf(config({ trainLimit: 1000 })).trainImages).toBe(1000);
    expect(shapeOf(config({ trainLimit: 0 })).trainImages).toBe(50_000);
    // half the images, less than half the work: the 10,000 test images stay
    const half = epochWork({ ...report, trainImages: 25_000 }) / epochWork(report);
    expect(half).toBeGreaterThan(0.5);
    expect(half).toBeLessThan(0.6);
  });

  it('takes the mean of epochs of the same shape, with the one-off cost per run of ended runs', () => {
    // one ended 10-epoch run at 0.6 s per epoch took 7 s of wall time: 1 s beyond its epochs
    const e = estimateEpoch(report, [sample({ epochs: 10, seconds: 6, wallRuns: 1, wallSeconds: 7, wallEpochs: 10 }), sample({ epochs: 30, seconds: 30 })], 'native-avx512');
    expect(e).toMatchObject({ tier: 'same-shape', fromEpochs: 40, kernel: 'native-avx512', overhead: 1 });
    expect(e.seconds).toBeCloseTo(36 / 40);
    expect(e.perRun).toBeCloseTo(1);
    expect(runSecondsOf(20, e)).toBeCloseTo(20 * 0.9 + 1);
  });

  it("paces runs by their later epochs: a history of short runs whose first epoch on a fresh thread is slow does not slow every epoch", () => {
    // 2 runs × 3 epochs: first epochs 2.0 s, later ones 0.6 s
    const short = sample({ epochs: 6, seconds: 2 * 2 + 4 * 0.6, steadyEpochs: 4, steadySeconds: 4 * 0.6 });
    const e = estimateEpoch(report, [short], 'native-avx512');
    expect(e.seconds).toBeCloseTo(0.6);
    expect(e.fromEpochs).toBe(6);
    // too short to teach a run's one-off cost (their wall time is mostly a thread starting): the default multiplier
    expect(e).toMatchObject({ overhead: DEFAULT_OVERHEAD, perRun: 0 });
    // a long run's wall time beyond its epochs at that pace is paid once per run, first epoch included:
    // a 50-epoch sweep is charged it once, not fifty times
    const long = sample({ epochs: 20, seconds: 2 + 19 * 0.6, steadyEpochs: 19, steadySeconds: 19 * 0.6, wallRuns: 1, wallSeconds: 14, wallEpochs: 20 });
    const fromLong = estimateEpoch(report, [long], 'native-avx512');
    expect(fromLong).toMatchObject({ overhead: 1 });
    expect(fromLong.perRun).toBeCloseTo(2);
    expect(runSecondsOf(50, fromLong)).toBeCloseTo(50 * 0.6 + 2);
    // measured on another shape only: that shape's cost, scaled by work per epoch
    const wide = { ...report, hidden: [200, 200] };
    const mixed = estimateEpoch(wide, [sample({ ...wide, epochs: 6, seconds: 6 * 1.2, steadyEpochs: 4, steadySeconds: 4 * 1.2 }), long], 'native-avx512');
    expect(mixed.tier).toBe('same-shape');
    expect(mixed.perRun).toBeCloseTo((2 * epochWork(wide)) / epochWork(report));
    // scaled from another shape, the pace is the later epochs' too
    const scaled = estimateEpoch({ ...report, hidden: [200, 200] }, [short], 'native-avx512');
    expect(scaled.tier).toBe('scaled');
    expect(scaled.seconds).toBeCloseTo((0.6 * epochWork({ ...report, hidden: [200, 200] })) / epochWork(report));
  });

  it('scales other shapes by parameters × images, preferring the same batch size and optimizer', () => {
    const small = { ...report, hidden: [10] };
    const samples = [sample({ hidden: [10], epochs: 4, seconds: 2, batchSize: 64 }), sample({ epochs: 5, seconds: 100, batchSize: 8 })];
    const e = estimateEpoch(report, samples, 'native-avx512');
    expect(e.tier).toBe('scaled');
    expect(e.fromEpochs).toBe(4); // the batch-8 runs are left out: there are enough of batch 64
    expect(e.seconds).toBeCloseTo((0.5 * epochWork(report)) / epochWork(small));
    expect(e.overhead).toBe(DEFAULT_OVERHEAD); // no ended run with times
  });

  it('falls back to the documented default per kernel family when nothing was measured', () => {
    const native = estimateEpoch(report, [], 'native-avx2');
    const wasm = estimateEpoch(report, [sample({ epochs: 1 })], 'wasm-simd'); // one epoch is not enough
    expect(native).toMatchObject({ tier: 'default', fromEpochs: 0, seconds: 0.8 });
    expect(wasm.tier).toBe('default');
    expect(wasm.seconds).toBeCloseTo(2.4);
    expect(estimateEpoch({ ...report, trainImages: 5000 }, [], 'native-avx512').seconds).toBeLessThan(0.2);
  });

  it('matches the kernel a config asks for: auto the kind it resolves to, the others their family', () => {
    const samples = [sample({ kernel: 'native-avx512' }), sample({ kernel: 'wasm-simd', seconds: 30 }), sample({ kernel: 'native-avx2', seconds: 9 })];
    expect(samplesForKernel(samples, 'auto', 'native-avx512').samples.map((s) => s.kernel)).toEqual(['native-avx512']);
    expect(samplesForKernel(samples, 'native', 'native-avx512').samples.map((s) => s.kernel)).toEqual(['native-avx512', 'native-avx2']);
    expect(samplesForKernel(samples, 'wasm', 'native-avx512')).toMatchObject({ kernel: 'wasm' });
    expect(samplesForKernel(samples, 'f64', 'native-avx512').samples).toEqual([]);
  });
});

describe('wall time over workers', () => {
  it('spreads runs in queue order over the first free worker', () => {
    expect(sweepWallSeconds([10, 10, 10, 10], 2)).toBe(20);
    expect(sweepWallSeconds([10, 10, 10], 2)).toBe(20);
    expect(sweepWallSeconds([30, 10, 10, 10], 2)).toBe(30);
    expect(sweepWallSeconds([10, 10], 8)).toBe(10);
    expect(sweepWallSeconds([], 2)).toBe(0);
  });

  it('bounds an early-stopping sweep by its most epochs, never below its longest run', () => {
    expect(sweepWallSeconds([10, 10, 10, 10], 2, { seconds: 16 })).toBe(10);
    expect(sweepWallSeconds([10, 10, 10, 10, 10, 10], 2, { seconds: 30 })).toBe(15);
  });

  it('plays the queue forward: running runs first, then queued ones, per experiment', () => {
    const s = scheduleQueue([{ experimentId: 1, remaining: 5 }, { experimentId: 2, remaining: 20 }], [{ experimentId: 1, seconds: 10, count: 2 }, { experimentId: 3, seconds: 7, count: 1 }], 2);
    // worker A free at 5: run 1b until 15, then 25; worker B free at 20 → run 3 from 20 to 27? no: A is free at 15 < 20
    expect(s.byExperiment.get(1)).toBe(25);
    expect(s.byExperiment.get(2)).toBe(20);
    expect(s.byExperiment.get(3)).toBe(27);
    expect(s.total).toBe(27);
    expect(scheduleQueue([], [], 2).total).toBe(0);
  });
});

describe('a sweep estimate', () => {
  const fig1 = [0.01, 0.001, 0.0001].flatMap((l2) => Array.from({ length: 10 }, () => config({ l2 })));
  const opts = { samples: [sample({ epochs: 240, seconds: 240 * 0.75, wallRuns: 1, wallSeconds: 1.1 * 0.75 * 20, wallEpochs: 20 })], autoKind: 'native-avx512', workers: 2, maxEpochs: 600, confirmAboveSeconds: 7200 };

  it('says how long on how many workers, and from what', () => {
    const e = estimateSweep(fig1, opts);
    expect(e.seconds).toBeCloseTo(15 * 20 * 0.75 * 1.1);
    expect(e).toMatchObject({ workers: 2, runs: 30, epochs: 600, tier: 'same-shape', overThreshold: false });
    expect(e.text).toBe('about 4 min on 2 workers');
    expect(e.basis).toBe('from 240 epochs of similar runs on native-avx512');
  });

  it('is over the threshold when longer, and a rough guess without history', () => {
    const big = Array.from({ length: 2000 }, () => config({}));
    const e = estimateSweep(big, { ...opts, samples: [], maxEpochs: 40_000 });
    expect(e.basis).toBe('no similar runs yet: rough guess');
    expect(e.overThreshold).toBe(true);
    expect(e.seconds).toBeCloseTo(1000 * 20 * 0.8 * DEFAULT_OVERHEAD);
  });

  it('uses ASHA’s most epochs when fewer than the full sweep', () => {
    const full = estimateSweep(fig1, opts);
    const asha = estimateSweep(fig1, { ...opts, maxEpochs: 200 });
    expect(asha.epochs).toBe(200);
    expect(asha.seconds).toBeCloseTo(full.seconds / 3);
  });

  it('words durations as estimates', () => {
    expect(aboutDuration(20)).toBe('under a minute');
    expect(aboutDuration(7 * 60 + 20)).toBe('about 7 min');
    expect(aboutDuration(37 * 60)).toBe('about 35 min');
    expect(aboutDuration(100 * 60 + 200)).toBe('about 1 h 40 min');
    expect(aboutDuration(3 * 3600 + 10)).toBe('about 3 h');
    expect(aboutDuration(76 * 3600)).toBe('about 3 d 4 h');
    expect(estimateText(60 * 60, 1)).toBe('about 1 h on 1 worker');
  });
});

describe('the queue estimate', () => {
  const per = { seconds: 1, tier: 'same-shape' as const, fromEpochs: 10, kernel: 'native-avx512', overhead: 1, perRun: 0 };
  const pending = [
    { id: 1, experimentId: 1, experimentName: 'a', status: 'running' as const, config: { epochs: 10 }, epochsDone: 5 },
    { id: 2, experimentId: 1, experimentName: 'a', status: 'queued' as const, config: { epochs: 10 }, epochsDone: 0 },
    { id: 3, experimentId: 1, experimentName: 'a', status: 'queued' as const, config: { epochs: 10 }, epochsDone: 0 },
    { id: 4, experimentId: 2, experimentName: 'b', status: 'waiting' as const, config: { epochs: 10 }, epochsDone: 4 },
  ];
  const est = buildQueueEstimate(pending, pending.map(() => per), 1, { basis: 'x', tier: 'same-shape' });

  it('groups alike queued runs and keeps what a waiting run has done', () => {
    expect(est.running).toEqual([{ runId: 1, experimentId: 1, runSeconds: 10, done: 0.5 }]);
    expect(est.queued).toEqual([{ experimentId: 1, seconds: 10, count: 2 }, { experimentId: 2, seconds: 6, count: 1 }]);
    expect(est.experiments).toEqual([{ id: 1, name: 'a', runsLeft: 3 }, { id: 2, name: 'b', runsLeft: 1 }]);
  });

  it('moves with the live progress of running runs', () => {
    expect(liveSchedule(est, new Map()).total).toBe(5 + 20 + 6);
    const later = liveSchedule(est, new Map([[1, { fraction: 0.9, elapsed: null }]]));
    expect(later.total).toBeCloseTo(1 + 20 + 6);
    expect(later.byExperiment.get(1)).toBeCloseTo(21);
    // past a fifth of the run the pace it shows counts half: 2× slower than estimated
    expect(remainingSeconds(est.running[0], { fraction: 0.5, elapsed: 10 })).toBeCloseTo((5 + 10) / 2);
  });
});
