import jwt from 'jsonwebtoken';
import { createTokenService } from './tokens';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const ID = '7b0f8a52-4c1e-4d0b-9a51-0d2c6b1f3e77';

describe('token service', () => {
  const tokens = createTokenService(SECRET, 900);

  it('round-trips its own tokens with a sub-second issued-at', () => {
    const claims = tokens.verifyAccess(tokens.signAccess({ sub: ID, role: 'analyst' }));
    expect(claims).toMatchObject({ sub: ID, role: 'analyst' });
    expect(Math.abs(claims!.iat * 1000 - Date.now())).toBeLessThan(5000);
  });

  it('refuses alg none, other algorithms, other keys and non-uuid subjects', () => {
    const payload = { sub: ID, role: 'admin', iss: 'voyce', aud: 'voyce-api' };
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    expect(tokens.verifyAccess(none)).toBeNull();
    expect(tokens.verifyAccess(jwt.sign(payload, SECRET, { algorithm: 'HS512' }))).toBeNull();
    expect(tokens.verifyAccess(jwt.sign(payload, 'another-secret-another-secret-another'))).toBeNull();
    expect(tokens.verifyAccess(jwt.sign({ ...payload, sub: 'admin' }, SECRET))).toBeNull();
  });

  it('tolerates 30 s of clock skew and no more', () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { sub: ID, role: 'user', iss: 'voyce', aud: 'voyce-api', iat: now - 1000 };
    expect(tokens.verifyAccess(jwt.sign({ ...base, exp: now - 10 }, SECRET))).not.toBeNull();
    expect(tokens.verifyAccess(jwt.sign({ ...base, exp: now - 60 }, SECRET))).toBeNull();
  });
});
