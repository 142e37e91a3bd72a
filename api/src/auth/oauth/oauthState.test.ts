import { createStateSealer, readCookie } from './oauthState';

describe('OAuth state cookie', () => {
  const sealer = createStateSealer('a-test-secret-that-is-long-enough-for-hs256');
  const pending = { provider: 'local', state: 'S'.repeat(43), nonce: 'n', codeVerifier: 'v' };

  it('opens only for the same provider and state', () => {
    const sealed = sealer.seal(pending);
    expect(sealed).not.toContain('S'.repeat(10));
    expect(sealer.open(sealed, 'local', pending.state)).toMatchObject(pending);
    expect(sealer.open(sealed, 'other', pending.state)).toBeNull();
    expect(sealer.open(sealed, 'local', 'T'.repeat(43))).toBeNull();
    expect(sealer.open(sealed, 'local', 'short')).toBeNull();
  });

  it('refuses a cookie sealed with another secret, altered, or missing', () => {
    const foreign = createStateSealer('another-secret-that-is-long-enough-too').seal(pending);
    expect(sealer.open(foreign, 'local', pending.state)).toBeNull();
    const sealed = sealer.seal(pending);
    expect(sealer.open(`${sealed.slice(0, -4)}AAAA`, 'local', pending.state)).toBeNull();
    expect(sealer.open(undefined, 'local', pending.state)).toBeNull();
    expect(sealer.open('garbage', 'local', pending.state)).toBeNull();
  });

  it('reads one cookie from a Cookie header, tolerating bad encoding', () => {
    expect(readCookie('a=1; voyce_oauth=enc%3Av1%3Ax; b=2', 'voyce_oauth')).toBe('enc:v1:x');
    expect(readCookie('voyce_oauth=%E0%A4%A', 'voyce_oauth')).toBeUndefined();
    expect(readCookie(undefined, 'voyce_oauth')).toBeUndefined();
  });
});
