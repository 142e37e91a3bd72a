import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers (helmet's defaults: strict CSP, nosniff, frame denial, HSTS, no referrer leakage) and CORS
 * limited to the configured origins (`CORS_ORIGINS`: the web app, the mobile app's web export). Access tokens
 * travel in the Authorization header, never cookies, so no credentials mode is needed and a foreign page cannot
 * ride on a signed-in browser. The one cookie credential, the web app's same-origin refresh cookie
 * (`auth/refreshCookie.ts`), is read only with the `X-Voyce-Session` header, which is deliberately not among the
 * allowed headers: no other origin's script can send it (and the cookie is SameSite=Strict besides).
 */
export function securityHeaders(allowedOrigins: string[]): RequestHandler[] {
  const allowed = new Set(allowedOrigins);
  return [
    helmet(),
    cors({
      origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], // PUT: /api/notifications/settings
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
      maxAge: 600,
    }),
  ];
}
