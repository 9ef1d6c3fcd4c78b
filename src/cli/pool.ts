// Bounded concurrency for the command line: seeding, export downloads, file migration.

/**
 * Runs `fn` over `items` with at most `limit` in flight, in order of start. The first failure stops
 * the run: no further item starts, the `signal` every call got is aborted (so a download in flight
 * stops too), and the failure is thrown once every running call has ended - nothing is still
 * writing when the caller reports it. `outer` (Ctrl+C, a test) stops the run the same way.
 */
export async function pool<T>(
  items: readonly T[], limit: number, fn: (item: T, signal: AbortSignal) => Promise<void>, outer?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  let failed = false;
  let failure: unknown;
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++];
      try {
        await fn(item, signal);
      } catch (e) {
        // Calls aborted because of the first failure fail too; the first one is the cause.
        if (!failed) {
          failed = true;
          failure = e;
          stop.abort(e);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw failure;
  outer?.throwIfAborted();
}
