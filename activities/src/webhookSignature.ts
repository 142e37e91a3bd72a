import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature of a webhook delivery: `v1=` + hex HMAC-SHA256 over `<timestamp>.<body>` with the user's secret.
 * Binding the timestamp lets receivers refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver runs (documented in the README): constant-time comparison, bounded clock skew. */
export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string, nowSeconds = Date.now() / 1000, toleranceSeconds = 300): boolean {
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
