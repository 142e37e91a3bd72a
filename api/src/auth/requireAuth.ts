import type { Request, RequestHandler } from 'express';
import { unauthenticated, type OrgMembership, type Role, forbidden } from '@voyce/core';
import type { PrincipalLookup } from './principalLookup';
import { runInScope } from '../orgs/requestScope';
import type { TokenService } from './tokens';

export interface Principal {
  id: string;
  role: Role;
  /** The organisations the account belongs to, read with the account (and dropped from cache with it). */
  memberships: readonly OrgMembership[];
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The authenticated caller of a route guarded by `requireAuth`. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}

/**
 * Accepts `Authorization: Bearer <jwt>` and checks the account still exists and is enabled, so a disabled
 * user's unexpired token stops working at once.
 */
export function requireAuth(tokens: TokenService, users: PrincipalLookup): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthenticated('A bearer token is required.');
    const principal = await principalOfToken(tokens, users, match[1]);
    if (!principal) throw unauthenticated('The access token is invalid or has expired.');
    req.principal = principal;
    // Everything the request does from here on reaches PostgreSQL with this principal's organisations only.
    runInScope(principal, next);
  };
}

/** The enabled account an access token names, or null when the token is bad, expired, revoked or its account gone. */
export async function principalOfToken(tokens: TokenService, users: PrincipalLookup, token: string): Promise<Principal | null> {
  const claims = tokens.verifyAccess(token);
  if (!claims) return null;
  const user = await users.findById(claims.sub);
  if (!user || user.disabled) return null;
  // JWTs cannot be recalled, so a password reset or a disable records an instant before which they are void.
  if (user.sessionsRevokedAt && claims.iat * 1000 < user.sessionsRevokedAt.getTime()) return null;
  return { id: user.id, role: user.role, memberships: user.memberships ?? [] };
}

/** Allows only the given roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!roles.includes(principalOf(req).role)) throw forbidden();
    next();
  };
}
