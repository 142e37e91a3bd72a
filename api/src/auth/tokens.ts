import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '@voyce/core';

export interface AccessClaims {
  sub: string;
  role: Role;
}

export interface VerifiedClaims extends AccessClaims {
  /** Issued-at, in seconds since the epoch. */
  iat: number;
}

const ISSUER = 'voyce';
const AUDIENCE = 'voyce-api';
const ALGORITHM = 'HS256' as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signs short-lived access tokens and verifies them with the algorithm pinned and clock skew bounded. */
export function createTokenService(secretText: string, ttlSeconds: number) {
  // A KeyObject made once: given a string, jsonwebtoken first tries it as a PEM public key on every call
  // (createPublicKey), which was 40 % of the API's CPU under load.
  const secret = createSecretKey(Buffer.from(secretText, 'utf8'));
  return {
    signAccess(claims: AccessClaims): string {
      // Fractional iat (RFC 7519 allows it) so revocation "before now" separates tokens within one second.
      return jwt.sign({ role: claims.role, iat: Date.now() / 1000 }, secret, {
        algorithm: ALGORITHM,
        subject: claims.sub,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: ttlSeconds,
      });
    },
    /** Returns the claims, or null for any invalid, expired or foreign token. */
    verifyAccess(token: string): VerifiedClaims | null {
      try {
        const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE, clockTolerance: 30 });
        if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.iat !== 'number') return null;
        // Subjects are user ids; anything else would reach a uuid column as a 500, even with a valid signature.
        if (!UUID.test(payload.sub)) return null;
        const role = (payload as { role?: unknown }).role;
        if (role !== 'user' && role !== 'analyst' && role !== 'admin') return null;
        return { sub: payload.sub, role, iat: payload.iat };
      } catch {
        return null;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
