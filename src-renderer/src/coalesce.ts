/**
 * Wraps an async refresh so that a burst of events (10,000 queued runs cancelled at once send
 * 10,000 run/state events) makes one call in flight and at most one more after it, instead of one
 * request per event. Every caller's promise settles once a call that started after it has ended.
 */
export function coalesce(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await work();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
