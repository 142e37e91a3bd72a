import { randomUUID } from 'node:crypto';
import { hashOpaqueToken, newOpaqueToken, unauthenticated, type User } from '@voyce/core';
import type { ApiDeps } from '../deps';
import type { TokenService } from './tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

type SessionDeps = Pick<ApiDeps, 'refreshTokens' | 'users' | 'audit' | 'config'>;

const invalidRefresh = () => unauthenticated('The refresh token is invalid, expired or revoked; please sign in again.');

/** Access (JWT, minutes) plus refresh (opaque, rotated) tokens: starting, rotating and ending sessions. */
export function createSessions(deps: SessionDeps, tokens: TokenService) {
  const ttlSeconds = deps.config.REFRESH_TOKEN_TTL_SECONDS;
  return {
    /** A new session: a new refresh-token family (`familyId`, when the caller must be able to end it later). */
    async start(user: Pick<User, 'id' | 'role'>, familyId: string = randomUUID()): Promise<TokenPair> {
      const refresh = newOpaqueToken();
      await deps.refreshTokens.insert({ userId: user.id, familyId, tokenHash: refresh.hash, ttlSeconds });
      return { accessToken: tokens.signAccess({ sub: user.id, role: user.role }), refreshToken: refresh.token };
    },

    /**
     * Rotates a refresh token. A token that was already rotated means it was copied: whoever holds the family
     * now is not to be trusted, so the whole family is revoked and the event audited.
     */
    async refresh(presented: string, ip: string | undefined): Promise<TokenPair> {
      const next = newOpaqueToken();
      const outcome = await deps.refreshTokens.rotate(hashOpaqueToken(presented), { tokenHash: next.hash, ttlSeconds });
      if (outcome.kind === 'invalid') throw invalidRefresh();
      if (outcome.kind === 'reused') {
        await deps.audit.record({ action: 'auth.refresh_reuse', subjectUserId: outcome.userId, ip: ip ?? null, detail: { familyId: outcome.familyId } });
        throw invalidRefresh();
      }
      const user = await deps.users.findById(outcome.userId);
      if (!user || user.disabled) {
        await deps.refreshTokens.revokeFamily(outcome.familyId);
        throw invalidRefresh();
      }
      return { accessToken: tokens.signAccess({ sub: user.id, role: user.role }), refreshToken: next.token };
    },

    /** Ends the session the token belongs to; unknown tokens are ignored (logout is idempotent). */
    async end(presented: string, ip: string | undefined): Promise<void> {
      const owner = await deps.refreshTokens.revokeFamilyOf(hashOpaqueToken(presented));
      if (owner) await deps.audit.record({ action: 'auth.logout', actorId: owner.userId, subjectUserId: owner.userId, ip: ip ?? null });
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
