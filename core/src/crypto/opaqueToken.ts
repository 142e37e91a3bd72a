import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets (refresh and reset tokens): 256 random bits, handed out once and stored only as a
 * SHA-256 digest. A fast hash is right here: unlike passwords the input has full entropy, and the lookup is
 * by digest equality in an index, so no timing comparison of secrets happens in our code.
 */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export const hashOpaqueToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
