import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, ROLES } from '@voyce/core';

// One set of schemas for validation and for the OpenAPI document, so the two cannot drift apart.

/** Strength rules (length, breach list) are applied by the password policy, which can name the account. */
const password = z.string().min(1).max(PASSWORD_MAX_LENGTH);
/** Opaque tokens are 43 base64url characters; the bound keeps junk out of the database lookups. */
export const opaqueToken = z.string().min(1).max(200);

export const registerBody = z.object({
  email: z.email().max(254),
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, '3 to 32 letters, digits, dots, dashes or underscores'),
  password,
});

export const loginBody = z.object({
  login: z.string().min(1).max(254).describe('e-mail or username'),
  password,
});

export const refreshBody = z.object({ refreshToken: opaqueToken });
/** With `X-Voyce-Session: cookie` the token may be left out: the HttpOnly `voyce_refresh` cookie carries it. */
export const cookieRefreshBody = z.object({ refreshToken: opaqueToken.optional() });

export const resetRequestBody = z.object({ email: z.string().min(1).max(254) });

/** A native app's one-time sign-in code and its PKCE code verifier (RFC 7636: 43–128 unreserved characters). */
export const oauthTokenBody = z.object({
  code: opaqueToken,
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, '43 to 128 letters, digits or -._~'),
});

export const resetConfirmBody = z.object({ token: opaqueToken, password });

/** The code of the unlock e-mail (sent when an account's sign-in ceiling is reached). */
export const unlockBody = z.object({ token: opaqueToken });

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  username: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const tokenPairSchema = z.object({ accessToken: z.string(), refreshToken: z.string() });
export const sessionSchema = tokenPairSchema.extend({ user: userSchema });
