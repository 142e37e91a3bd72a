import { hkdfSync, timingSafeEqual } from 'node:crypto';
import { createColumnCipher, type ColumnCipher } from '@voyce/core';

export const STATE_COOKIE = 'voyce_oauth';
const MAX_AGE_SECONDS = 600;

export interface PendingSignIn {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A native app's sign-in (RFC 8252): where it ends, the app's PKCE challenge, and the app's own state to echo. */
  native?: { redirectUri: string; codeChallenge: string; state?: string };
  expiresAt: number;
}

/**
 * The PKCE verifier, state and nonce between the redirect and the callback travel in a cookie sealed with
 * AES-256-GCM (a key derived from JWT_SECRET), so any API replica can finish a sign-in that another began,
 * and the browser can neither read nor alter them.
 */
export function createStateSealer(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'voyce', 'oauth-state-cookie', 32));
  const cipher: ColumnCipher = createColumnCipher(new Map([['s1', key]]), 's1');
  return {
    maxAgeSeconds: MAX_AGE_SECONDS,
    seal(p: Omit<PendingSignIn, 'expiresAt'>): string {
      return cipher.encrypt(JSON.stringify({ ...p, expiresAt: Date.now() + MAX_AGE_SECONDS * 1000 }), STATE_COOKIE);
    },
    /** The pending sign-in if the cookie is intact, unexpired, for this provider and this state; else null. */
    open(sealed: string | undefined, provider: string, state: string): PendingSignIn | null {
      if (!sealed) return null;
      let p: PendingSignIn;
      try {
        p = JSON.parse(cipher.decrypt(sealed, STATE_COOKIE)) as PendingSignIn;
      } catch {
        return null;
      }
      const a = Buffer.from(p.state);
      const b = Buffer.from(state);
      if (p.provider !== provider || p.expiresAt < Date.now() || a.length !== b.length || !timingSafeEqual(a, b)) return null;
      return p;
    },
  };
}

/** Reads one cookie from the Cookie header (no cookie parser needed for a single value). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
