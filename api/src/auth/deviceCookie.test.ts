import { deviceCookieName, signDeviceCookie, verifyDeviceCookie } from './deviceCookie';

const config = { JWT_SECRET: 'a-test-secret-of-at-least-thirty-two-characters', DEVICE_COOKIE_TTL_DAYS: 30, NODE_ENV: 'test' as const };
const alice = '5b0c8d1e-0000-4000-8000-000000000001';
const bob = '5b0c8d1e-0000-4000-8000-000000000002';

describe('device cookie', () => {
  it('verifies for its own account and answers its nonce', () => {
    const value = signDeviceCookie(config, alice);
    expect(verifyDeviceCookie(config, alice, value)).toBe(value.split('.')[0]);
  });

  it('is refused for another account, another secret, or when tampered with', () => {
    const value = signDeviceCookie(config, alice);
    expect(verifyDeviceCookie(config, bob, value)).toBeUndefined();
    expect(verifyDeviceCookie({ ...config, JWT_SECRET: 'another-secret-of-at-least-thirty-two-chars' }, alice, value)).toBeUndefined();
    const [nonce, issued, mac] = value.split('.') as [string, string, string];
    expect(verifyDeviceCookie(config, alice, `${nonce}.${Number(issued) + 1}.${mac}`)).toBeUndefined();
    const flipped = (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);
    expect(verifyDeviceCookie(config, alice, `${nonce}.${issued}.${flipped}`)).toBeUndefined();
    expect(verifyDeviceCookie(config, alice, undefined)).toBeUndefined();
    expect(verifyDeviceCookie(config, alice, 'junk')).toBeUndefined();
  });

  it('expires after DEVICE_COOKIE_TTL_DAYS and is refused from the future', () => {
    const now = Date.now();
    const issued = Math.floor(now / 1000) - 30 * 86400;
    expect(verifyDeviceCookie(config, alice, signDeviceCookie(config, alice, issued + 10), now)).toBeDefined();
    expect(verifyDeviceCookie(config, alice, signDeviceCookie(config, alice, issued), now)).toBeUndefined();
    expect(verifyDeviceCookie(config, alice, signDeviceCookie(config, alice, Math.floor(now / 1000) + 3600), now)).toBeUndefined();
  });

  it('has one name per account', () => {
    expect(deviceCookieName(alice)).toMatch(/^voyce_device_[0-9a-f]{16}$/);
    expect(deviceCookieName(alice)).not.toBe(deviceCookieName(bob));
  });
});
