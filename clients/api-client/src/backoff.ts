export interface BackoffOptions {
  /** The first delay (default 2 s); it doubles each attempt. */
  baseMs?: number;
  /** The longest delay (default 5 min). */
  maxMs?: number;
  random?: () => number;
}

/** The delay before retry `attempt` (1-based): doubling up to a cap, ±20 % jitter so clients do not retry in step. */
export function retryDelayMs(attempt: number, opts: BackoffOptions = {}): number {
  const { baseMs = 2000, maxMs = 5 * 60_000, random = Math.random } = opts;
  const base = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
