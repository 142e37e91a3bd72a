import { DEFAULT_RESTART_POLICY, RestartTracker, restartPolicyFromEnv } from './restartPolicy';

describe('RestartTracker', () => {
  it('backs off exponentially within the window and forgets crashes older than it', () => {
    const tracker = new RestartTracker({ initialDelayMs: 500, factor: 2, maxDelayMs: 15_000, maxRestarts: 5, windowMs: 60_000 });
    expect([0, 1, 2, 3].map((i) => tracker.recordCrash(i * 1000))).toEqual([
      { restart: true, delayMs: 500, recentCrashes: 1 },
      { restart: true, delayMs: 1000, recentCrashes: 2 },
      { restart: true, delayMs: 2000, recentCrashes: 3 },
      { restart: true, delayMs: 4000, recentCrashes: 4 },
    ]);
    expect(tracker.recordCrash(3000 + 60_000)).toEqual({ restart: true, delayMs: 500, recentCrashes: 1 });
  });

  it('calls more than maxRestarts crashes within the window a crash loop', () => {
    const tracker = new RestartTracker({ ...DEFAULT_RESTART_POLICY, maxRestarts: 2 });
    tracker.recordCrash(0);
    tracker.recordCrash(10);
    expect(tracker.recordCrash(20)).toEqual({ restart: false, reason: 'crashed 3 times within 60 s (crash loop; at most 2 restarts allowed)' });
  });
});

describe('restartPolicyFromEnv', () => {
  it('reads overrides and names a bad variable', () => {
    expect(restartPolicyFromEnv({ VOYCE_RESTART_MAX: '9', VOYCE_RESTART_WINDOW_MS: '1000' })).toMatchObject({ maxRestarts: 9, windowMs: 1000, initialDelayMs: 500 });
    expect(() => restartPolicyFromEnv({ VOYCE_RESTART_MAX: 'many' })).toThrow('VOYCE_RESTART_MAX must be a whole number ≥ 0, not "many"');
  });
});
