/**
 * When to restart a part that died, and when to stop trying: exponential backoff over the crashes of a sliding
 * window, and a crash loop (more than `maxRestarts` crashes within `windowMs`) ends the supervision. A part that
 * stays up longer than the window starts again from the first, shortest delay.
 */

export interface RestartPolicy {
  /** Delay before the first restart. */
  readonly initialDelayMs: number;
  /** Each further crash within the window multiplies the delay by this. */
  readonly factor: number;
  readonly maxDelayMs: number;
  /** Restarts allowed within `windowMs`; one more crash is a crash loop. */
  readonly maxRestarts: number;
  readonly windowMs: number;
}

/** Quick first restart (most crashes are one-offs), at most 5 per minute before the stack gives up. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 15_000,
  maxRestarts: 5,
  windowMs: 60_000,
};

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; /** crashes within the window, this one included */ readonly recentCrashes: number }
  | { readonly restart: false; readonly reason: string };

/** The crash history of one part. */
export class RestartTracker {
  private crashes: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Record a crash at `now` (ms) and decide what to do about it. */
  recordCrash(now: number): RestartDecision {
    const { initialDelayMs, factor, maxDelayMs, maxRestarts, windowMs } = this.policy;
    this.crashes = [...this.crashes.filter((at) => now - at < windowMs), now];
    const recent = this.crashes.length;
    if (recent > maxRestarts) {
      return { restart: false, reason: `crashed ${recent} times within ${formatSeconds(windowMs)} (crash loop; at most ${maxRestarts} restarts allowed)` };
    }
    return { restart: true, delayMs: Math.min(maxDelayMs, initialDelayMs * factor ** (recent - 1)), recentCrashes: recent };
  }
}

/** Reads a policy from the environment (VOYCE_RESTART_MAX, VOYCE_RESTART_WINDOW_MS, VOYCE_RESTART_DELAY_MS), else the default. */
export function restartPolicyFromEnv(env: NodeJS.ProcessEnv, base: RestartPolicy = DEFAULT_RESTART_POLICY): RestartPolicy {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, not "${raw}"`);
    return value;
  };
  return {
    ...base,
    maxRestarts: read('VOYCE_RESTART_MAX', base.maxRestarts),
    windowMs: read('VOYCE_RESTART_WINDOW_MS', base.windowMs),
    initialDelayMs: read('VOYCE_RESTART_DELAY_MS', base.initialDelayMs),
  };
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
