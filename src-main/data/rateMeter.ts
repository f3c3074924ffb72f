import type { DatasetPhase, DatasetProgress } from '../../src-shared/dataset';

/**
 * Turns byte counts into progress events with a rate over a sliding window of a few seconds and an
 * ETA, throttled so listeners are not flooded.
 */
export class RateMeter {
  private readonly samples: { t: number; bytes: number }[] = [];
  private lastEmit = -Infinity;

  constructor(
    private readonly phase: DatasetPhase,
    private readonly total: number | null,
    private readonly emit: ((p: DatasetProgress) => void) | undefined,
    private readonly intervalMs = 200,
    private readonly windowMs = 3000,
  ) {}

  update(bytes: number, force = false): void {
    if (!this.emit) return;
    const t = performance.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    const first = this.samples[0];
    const dt = (t - first.t) / 1000;
    const rate = dt > 0 ? (bytes - first.bytes) / dt : 0;
    const eta = this.total !== null && rate > 0 ? (this.total - bytes) / rate : null;
    this.emit({ phase: this.phase, bytes, total: this.total, rate, etaSeconds: eta });
  }
}
