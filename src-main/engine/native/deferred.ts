/**
 * Deferred operations of a backend, which is how the native backend fuses work across the
 * per-operation Backend interface (as tinygrad fuses lazily): a product is queued instead of run,
 * and the next operation that consumes its output runs with it as one kernel (the activation into
 * the product's epilogue, the optimizer step into the weight-gradient product). Every other
 * operation first runs, in order, the queued ones it conflicts with, so results never differ from
 * running each operation at once.
 */
export interface DeferredOp<T> {
  readonly reads: readonly T[];
  readonly writes: readonly T[];
  run(): void;
}

export class Deferred<T, Op extends DeferredOp<T>> {
  private queue: Op[] = [];

  /** Queues op after making every conflicting queued op run. */
  defer(op: Op): void {
    this.settle(op.reads, op.writes);
    this.queue.push(op);
  }

  /**
   * Removes and returns the first queued op `match` accepts (the caller runs it fused with its own
   * work, after settle() with the union of both ops' buffers).
   */
  take<M extends Op>(match: (op: Op) => op is M): M | null {
    const i = this.queue.findIndex(match);
    if (i < 0) return null;
    return this.queue.splice(i, 1)[0] as M;
  }

  /**
   * Runs, in queue order, every queued op up to the last one that writes what the caller reads or
   * writes, or reads what the caller writes.
   */
  settle(reads: readonly T[], writes: readonly T[]): void {
    let last = -1;
    this.queue.forEach((op, i) => {
      const clash = op.writes.some((m) => reads.includes(m) || writes.includes(m)) || op.reads.some((m) => writes.includes(m));
      if (clash) last = i;
    });
    if (last < 0) return;
    const due = this.queue.splice(0, last + 1);
    for (const op of due) op.run();
  }

  /** Runs everything queued. */
  flush(): void {
    const due = this.queue;
    this.queue = [];
    for (const op of due) op.run();
  }
}
