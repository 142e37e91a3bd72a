import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ApiDeps } from '../deps';
import { readCookie } from './oauth/oauthState';
import { REFRESH_COOKIE_PATH } from './refreshCookie';

/**
 * OWASP's device cookie ("Slow Down Online Guessing Attacks with Device Cookies"): a browser that signed in to an
 * account gets a long-lived cookie, signed by the API, naming that account and a random nonce. Sign-in attempts
 * carrying a valid one are throttled on their own, apart from everyone else's, so an attacker hammering an
 * account elsewhere never slows its owner down on a device they used before.
 *
 * One cookie per account (the name carries a digest of the user id), so people sharing a browser keep theirs.
 * Value: `nonce.issuedAt.mac`, mac = HMAC-SHA256(key, userId.nonce.issuedAt), the key derived from JWT_SECRET.
 * HttpOnly, SameSite=Strict, sent to /api/auth only, Secure over HTTPS or in production.
 */
type DeviceConfig = Pick<ApiDeps['config'], 'JWT_SECRET' | 'DEVICE_COOKIE_TTL_DAYS' | 'NODE_ENV'>;

const COOKIE_PREFIX = 'voyce_device_';
const CLOCK_SKEW_SECONDS = 60;

const keys = new Map<string, Buffer>();
function macKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'voyce', 'device cookie v1', 32));
    keys.set(secret, key);
  }
  return key;
}

const mac = (config: DeviceConfig, userId: string, nonce: string, issuedAt: number) =>
  createHmac('sha256', macKey(config.JWT_SECRET)).update(`${userId}.${nonce}.${issuedAt}`).digest();

/** The cookie name of one account's device cookie. */
export const deviceCookieName = (userId: string): string => COOKIE_PREFIX + createHash('sha256').update(userId).digest('hex').slice(0, 16);

/** A fresh signed value for `userId` (exported for tests, which forge and age cookies with it). */
export function signDeviceCookie(config: DeviceConfig, userId: string, issuedAt = Math.floor(Date.now() / 1000)): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${issuedAt}.${mac(config, userId, nonce, issuedAt).toString('base64url')}`;
}

/** The nonce of a valid, unexpired device cookie value for `userId`, else undefined. */
export function verifyDeviceCookie(config: DeviceConfig, userId: string, value: string | undefined, now = Date.now()): string | undefined {
  const match = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return undefined;
  const [, nonce = '', issued = '', given = ''] = match;
  const issuedAt = Number(issued);
  const nowSeconds = now / 1000;
  if (issuedAt > nowSeconds + CLOCK_SKEW_SECONDS || issuedAt + config.DEVICE_COOKIE_TTL_DAYS * 86400 <= nowSeconds) return undefined;
  const expected = mac(config, userId, nonce, issuedAt);
  const presented = Buffer.from(given, 'base64url');
  return presented.length === expected.length && timingSafeEqual(presented, expected) ? nonce : undefined;
}

/** The device (its nonce) this request proves for `userId`, if its cookie for that account is valid. */
export const trustedDeviceOf = (req: Request, config: DeviceConfig, userId: string): string | undefined =>
  verifyDeviceCookie(config, userId, readCookie(req.headers.cookie, deviceCookieName(userId)));

/** Gives the browser a new device cookie for `userId` (after a successful sign-in or an unlock). */
export function setDeviceCookie(req: Request, res: Response, config: DeviceConfig, userId: string): void {
  res.cookie(deviceCookieName(userId), signDeviceCookie(config, userId), {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure || config.NODE_ENV === 'production',
    path: REFRESH_COOKIE_PATH,
    maxAge: config.DEVICE_COOKIE_TTL_DAYS * 86400 * 1000,
  });
  res.setHeader('cache-control', 'no-store');
}
