/**
 * Deferred operations of a backend, which is how the native backend fuses work across the
 * per-operation Backend interface (as tinygrad fuses lazily): a product is queued instead of run,
 * and the next operation that consumes its output runs with it as one kernel (the activation into
 * the product's epilogue, the optimizer step into the weight-gradient product). Every other
 * operation first runs, in order, the queued ones it conflicts with, so results never differ from
 * running each operation at once. Nothing here allocates once the queue has reached its size.
 */
export interface DeferredOp<T> {
  readonly reads: readonly T[];
  readonly writes: readonly T[];
  run(): void;
}

export class Deferred<T, Op extends DeferredOp<T>> {
  private readonly queue: Op[] = [];

  /** Queues op after making every queued op it conflicts with run. */
  defer(op: Op): void {
    for (const m of op.reads) this.reading(m);
    for (const m of op.writes) this.writing(m);
    this.queue.push(op);
  }

  /** Queued ops, oldest first (read-only; take() removes one). */
  get pending(): readonly Op[] {
    return this.queue;
  }

  /**
   * Removes the queued op at `index`, for the caller to run fused with its own work; the caller
   * first declares that fused work's buffers with reading()/writing().
   */
  take(index: number): Op {
    const op = this.queue[index];
    for (let i = index; i + 1 < this.queue.length; i++) this.queue[i] = this.queue[i + 1];
    this.queue.length -= 1;
    return op;
  }

  /** Before reading m: runs queued ops up to the last one that writes m. */
  reading(m: T): void {
    let last = -1;
    for (let i = 0; i < this.queue.length; i++) if (this.queue[i].writes.includes(m)) last = i;
    this.runThrough(last);
  }

  /** Before writing m: runs queued ops up to the last one that reads or writes m. */
  writing(m: T): void {
    let last = -1;
    for (let i = 0; i < this.queue.length; i++) if (this.queue[i].writes.includes(m) || this.queue[i].reads.includes(m)) last = i;
    this.runThrough(last);
  }

  private runThrough(last: number): void {
    for (let i = 0; i <= last; i++) this.queue.shift()!.run();
  }
}
