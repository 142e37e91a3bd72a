import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers (helmet's defaults: strict CSP, nosniff, frame denial, HSTS, no referrer leakage) and CORS
 * limited to the configured origins (`CORS_ORIGINS`: the web app, the mobile app's web export). Tokens travel in
 * the Authorization header, never cookies, so no credentials mode is needed and a foreign page cannot ride on a
 * signed-in browser.
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
