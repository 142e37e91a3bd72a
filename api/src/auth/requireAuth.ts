import type { Request, RequestHandler } from 'express';
import { unauthenticated, type Role, forbidden } from '@voyce/core';
import type { PrincipalLookup } from './principalLookup';
import type { TokenService } from './tokens';

export interface Principal {
  id: string;
  role: Role;
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
    const claims = tokens.verifyAccess(match[1]);
    if (!claims) throw unauthenticated('The access token is invalid or has expired.');
    const user = await users.findById(claims.sub);
    if (!user || user.disabled) throw unauthenticated('The account is not active.');
    // JWTs cannot be recalled, so a password reset or a disable records an instant before which they are void.
    if (user.sessionsRevokedAt && claims.iat * 1000 < user.sessionsRevokedAt.getTime()) {
      throw unauthenticated('The access token is invalid or has expired.');
    }
    req.principal = { id: user.id, role: user.role };
    next();
  };
}

/** Allows only the given roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!roles.includes(principalOf(req).role)) throw forbidden();
    next();
  };
}
