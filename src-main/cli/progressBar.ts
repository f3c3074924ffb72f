import { formatDuration } from '../../src-shared/format';

export { formatDuration };

/**
 * A one-line progress bar redrawn in place on a terminal stream; silent when the stream is not
 * a TTY (so logs and pipes stay clean).
 */
export class ProgressBar {
  private readonly started = performance.now();
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(fraction: number, label: string): void {
    if (!this.stream.isTTY) return;
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${label}  ETA ${formatDuration(eta)}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 100) - 1)}`);
    this.drawn = true;
  }

  /** Erases the bar so a normal line can be printed. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
