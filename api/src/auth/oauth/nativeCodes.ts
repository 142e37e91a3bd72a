import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { badRequest, hashOpaqueToken, newOpaqueToken, publicUser, type User } from '@voyce/core';
import type { ApiDeps } from '../../deps';
import type { Sessions, TokenPair } from '../sessions';

type CodeDeps = Pick<ApiDeps, 'oauthCodes' | 'users' | 'refreshTokens' | 'audit'>;

/** How long a native app has to exchange its code (RFC 6749 suggests at most ten minutes; apps need seconds). */
export const CODE_TTL_SECONDS = 60;

const invalidGrant = () => badRequest('invalid_grant', 'The sign-in code is invalid, expired or already used, or the code verifier does not match; sign in again.');

/** S256 of RFC 7636: BASE64URL(SHA-256(ASCII(code_verifier))). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/**
 * The one-time codes that end a native app's sign-in instead of tokens in a URL (RFC 8252): 256-bit random,
 * stored hashed, bound to the user and the app's PKCE challenge, spent once within CODE_TTL_SECONDS.
 */
export function createNativeCodes(deps: CodeDeps, sessions: Sessions) {
  return {
    async issue(userId: string, provider: string, codeChallenge: string): Promise<string> {
      const { token, hash } = newOpaqueToken();
      await deps.oauthCodes.insert({ codeHash: hash, userId, provider, codeChallenge, ttlSeconds: CODE_TTL_SECONDS });
      return token;
    },

    /**
     * Exchanges a code and its PKCE verifier for a session. Every failure is the same `invalid_grant`; a code
     * presented again is audited and ends the session it was first exchanged for (RFC 6749 §4.1.2).
     */
    async exchange(code: string, verifier: string, ip: string | undefined): Promise<TokenPair & { user: User }> {
      const outcome = await deps.oauthCodes.redeem(hashOpaqueToken(code));
      if (outcome.kind === 'reused') {
        if (outcome.familyId) await deps.refreshTokens.revokeFamily(outcome.familyId);
        await deps.audit.record({ action: 'auth.oauth_code_reuse', subjectUserId: outcome.userId, ip: ip ?? null, detail: { provider: outcome.provider } });
        throw invalidGrant();
      }
      if (outcome.kind !== 'ok') throw invalidGrant();
      const expected = Buffer.from(outcome.codeChallenge);
      const actual = Buffer.from(s256(verifier));
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw invalidGrant();
      const user = await deps.users.findById(outcome.userId);
      if (!user || user.disabled) throw invalidGrant();
      const familyId = randomUUID();
      const pair = await sessions.start(user, familyId);
      await deps.oauthCodes.setFamily(outcome.id, familyId);
      return { user: publicUser(user), ...pair };
    },
  };
}
