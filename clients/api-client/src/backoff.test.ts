import { retryDelayMs } from './backoff';
import { ApiError, isRetryable, NetworkError } from './errors';
import { secondsUntilExpiry } from './jwt';
import { singleFlight } from './singleFlight';

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, jittered by at most 20 %', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, { random: mid }))).toEqual([2000, 4000, 8000, 16000]);
    expect(retryDelayMs(30, { random: mid })).toBe(300_000);
    expect(retryDelayMs(1, { random: () => 0 })).toBe(1600);
    expect(retryDelayMs(1, { random: () => 1 })).toBe(2400);
    expect(retryDelayMs(3, { baseMs: 1000, maxMs: 3000, random: mid })).toBe(3000);
  });
});

describe('isRetryable', () => {
  it('retries the network, 5xx, 408, 429 and a busy idempotency key; nothing else', () => {
    expect(isRetryable(new NetworkError())).toBe(true);
    expect([500, 503, 408, 429].every((s) => isRetryable(new ApiError(s, 'x', 'x')))).toBe(true);
    expect(isRetryable(new ApiError(409, 'idempotency_key_in_use', 'busy'))).toBe(true);
    expect(isRetryable(new ApiError(409, 'conflict', 'no'))).toBe(false);
    expect(isRetryable(new ApiError(422, 'too_short', 'no'))).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
  });
});

describe('singleFlight', () => {
  it('shares the call in flight and starts a new one after it settles', async () => {
    let runs = 0;
    const once = singleFlight(async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (runs === 1) throw new Error('first fails');
      return runs;
    });
    const first = await Promise.allSettled([once(), once()]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(Promise.all([once(), once()])).resolves.toEqual([2, 2]);
    expect(runs).toBe(2);
  });
});

describe('secondsUntilExpiry', () => {
  it('reads exp without checking the signature; null when unreadable', () => {
    const now = 1_800_000_000_000;
    expect(secondsUntilExpiry(`h.${btoa(JSON.stringify({ exp: now / 1000 + 60 }))}.s`, now)).toBe(60);
    expect(secondsUntilExpiry('garbage', now)).toBeNull();
    expect(secondsUntilExpiry(`h.${btoa('{}')}.s`, now)).toBeNull();
  });
});
