import jwt from 'jsonwebtoken';
import type { Role } from '@voyce/core';

export interface AccessClaims {
  sub: string;
  role: Role;
}

const ISSUER = 'voyce';
const AUDIENCE = 'voyce-api';
const ALGORITHM = 'HS256' as const;

/** Signs short-lived access tokens and verifies them with the algorithm pinned and clock skew bounded. */
export function createTokenService(secret: string, ttlSeconds: number) {
  return {
    signAccess(claims: AccessClaims): string {
      return jwt.sign({ role: claims.role }, secret, {
        algorithm: ALGORITHM,
        subject: claims.sub,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: ttlSeconds,
      });
    },
    /** Returns the claims, or null for any invalid, expired or foreign token. */
    verifyAccess(token: string): AccessClaims | null {
      try {
        const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE, clockTolerance: 30 });
        if (typeof payload === 'string' || typeof payload.sub !== 'string') return null;
        const role = (payload as { role?: unknown }).role;
        if (role !== 'user' && role !== 'analyst' && role !== 'admin') return null;
        return { sub: payload.sub, role };
      } catch {
        return null;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
