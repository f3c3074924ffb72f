/**
 * Memory that a thread's native backends reuse run after run. A worker trains one run at a time; if
 * every run allocated fresh typed arrays, each run would page-fault its few MB in and the garbage
 * collector would later unmap them, which interrupts the other workers of the process (TLB
 * shootdowns) — measurable when two workers train side by side. Regions are 64-byte aligned and
 * zero-filled when handed out. `reset()` hands the memory out again: only call it when no backend
 * created since the previous reset is used any more.
 */
export class NativeArena {
  private readonly chunks: Float32Array[] = [];
  private chunk = 0;
  private used = 0;

  constructor(
    private readonly alignOffset: (raw: Float32Array) => number,
    private readonly chunkFloats = 4 << 20,
  ) {}

  /** n floats (n a multiple of 16), zero-filled. */
  floats(n: number): Float32Array {
    while (this.chunk < this.chunks.length && this.used + n > this.chunks[this.chunk].length) {
      this.chunk += 1;
      this.used = 0;
    }
    if (this.chunk === this.chunks.length) {
      const raw = new Float32Array(Math.max(this.chunkFloats, n) + 16);
      const at = this.alignOffset(raw);
      this.chunks.push(raw.subarray(at, at + Math.max(this.chunkFloats, n)));
      this.used = 0;
    }
    const region = this.chunks[this.chunk].subarray(this.used, this.used + n);
    this.used += n;
    region.fill(0);
    return region;
  }

  reset(): void {
    this.chunk = 0;
    this.used = 0;
  }
}
