/**
 * Wraps an async function so that concurrent callers share the call in flight instead of starting their own;
 * the next call after it settles starts a new one. (Refresh tokens rotate on use: presenting one twice would
 * look like theft to the server and end the session.)
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
